package vdpa.sim.model;

import driver.core.BusException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The simulator's factory of {@link NetModel}s, a service of vdpa.sim. Models share the
 * simulator's links with its vDPA devices, so a cable can join a model to a {@code vdpasim_net}
 * device. Every model is closed when the service goes.
 */
@ProviderType
public interface NetModels {

    /**
     * Creates a reset device, plugs it into its link and starts its worker.
     *
     * @throws BusException the name is taken or the link refuses (a cable with two ends already)
     */
    NetModel create(NetModelSpec spec) throws BusException;

    /** The features every model offers (its device features before the driver writes any). */
    long offeredFeatures();
}
