package virtio.vdpa.internal;

import driver.core.BusDriver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.propertytypes.ServiceRanking;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaDriver;
import virtio.bus.VirtioBus;
import virtio.vdpa.VirtioVdpaConstants;

/**
 * The virtio_vdpa driver service on the vDPA bus. It matches every vDPA device
 * ({@code (vdpa.name=*)}) at ranking 0, so a driver that ranks higher (or a device's
 * driver_override, e.g. to a vhost bridge) takes precedence. It needs the virtio bus: without it
 * there is nowhere to put the virtio devices, so the component waits for it.
 */
@Component(service = VdpaDriver.class)
@BusDriver(name = VirtioVdpaConstants.DRIVER_NAME, match = "(" + VdpaConstants.NAME + "=*)")
@ServiceRanking(0)
public final class VirtioVdpaComponent extends VirtioVdpaDriver {

    /** Nothing happens here: the vDPA bus calls probe on its own threads once the service is up. */
    @Activate
    public VirtioVdpaComponent(@Reference(name = "virtioBus") VirtioBus bus) {
        super(bus);
    }

    /**
     * The vDPA bus removes this driver from its devices when the service goes, before this runs;
     * whatever it did not (the bus left first) is taken down here.
     */
    @Deactivate
    void deactivate() {
        removeAll();
    }
}
