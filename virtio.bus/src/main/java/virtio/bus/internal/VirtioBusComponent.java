package virtio.bus.internal;

import driver.core.Bus;
import driver.core.BusConstants;
import driver.core.BusFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import virtio.bus.VirtioBus;
import virtio.bus.VirtioConstants;

/**
 * The virtio bus service: one engine from the {@link BusFactory}, published as {@link VirtioBus}
 * and {@link Bus} with {@code bus.name=virtio}. Device services appear as this bundle's.
 */
@Component(service = {VirtioBus.class, Bus.class}, property = BusConstants.BUS_NAME + "=" + VirtioConstants.BUS)
public final class VirtioBusComponent extends VirtioBusAdapter {

    /** Creating an engine returns at once; matching runs on the engine's own thread. */
    @Activate
    public VirtioBusComponent(@Reference(name = "factory") BusFactory factory, BundleContext context) {
        super(factory.create(context, spec()));
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
