package vdpa.bus.internal;

import driver.core.Bus;
import driver.core.BusConstants;
import driver.core.BusFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaConstants;

/**
 * The vDPA bus service: one engine from the {@link BusFactory}, published as {@link VdpaBus} and
 * {@link Bus} with {@code bus.name=vdpa}. Device services appear as this bundle's.
 */
@Component(service = {VdpaBus.class, Bus.class}, property = BusConstants.BUS_NAME + "=" + VdpaConstants.BUS)
public final class VdpaBusComponent extends VdpaBusAdapter {

    /** Creating an engine returns at once; matching runs on the engine's own thread. */
    @Activate
    public VdpaBusComponent(@Reference(name = "factory") BusFactory factory, BundleContext context) {
        super(factory.create(context, spec()));
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
