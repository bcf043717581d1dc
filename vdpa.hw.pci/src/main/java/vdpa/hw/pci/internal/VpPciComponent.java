package vdpa.hw.pci.internal;

import driver.core.BusDriver;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import pci.bus.PciDriver;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaMgmtDevice;
import vdpa.hw.pci.VpVdpa;

/**
 * The vp_vdpa driver service on the PCI bus. It needs the vDPA bus: without it there is nowhere to
 * put its devices, so the component waits for it. Management devices are published as this
 * bundle's services with {@code vdpa.mgmtdev=pci/<slot>}.
 */
@Component(service = {PciDriver.class, VpPciDriver.class})
@BusDriver(name = VpVdpa.DRIVER_NAME, match = VpVdpa.MATCH)
public final class VpPciComponent extends VpPciDriver {

    @Activate
    public VpPciComponent(@Reference(name = "vdpaBus") VdpaBus bus, BundleContext context) {
        super(bus, mgmt -> {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(VdpaConstants.MGMTDEV, mgmt.name());
            ServiceRegistration<VdpaMgmtDevice> r = context.registerService(VdpaMgmtDevice.class, mgmt, p);
            return r::unregister;
        });
    }

    /** The PCI bus removes this driver from its functions when the service goes; the rest goes here. */
    @Deactivate
    void deactivate() {
        removeAll();
    }
}
