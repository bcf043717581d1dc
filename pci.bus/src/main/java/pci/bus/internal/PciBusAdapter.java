package pci.bus.internal;

import static pci.bus.PciRegs.PCI_DEVICE_ID;
import static pci.bus.PciRegs.PCI_REVISION_ID;
import static pci.bus.PciRegs.PCI_SUBSYSTEM_ID;
import static pci.bus.PciRegs.PCI_SUBSYSTEM_VENDOR_ID;
import static pci.bus.PciRegs.PCI_VENDOR_ID;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.BusFactory;
import driver.core.DeviceRegistration;
import driver.core.ForwardingBus;
import java.util.HashMap;
import java.util.Map;
import pci.bus.PciBus;
import pci.bus.PciConstants;
import pci.bus.PciDevice;
import pci.bus.PciDriver;
import pci.bus.PciRegion;

/**
 * {@link PciBus} over a driver.core engine. The engine validates each function and publishes the
 * ids it reads from the function's configuration space; this adds only the rule that a function is
 * named by its address.
 */
class PciBusAdapter extends ForwardingBus<PciDevice> implements PciBus {

    static final PciDeviceValidator VALIDATOR = new PciDeviceValidator();

    /** What the engine binds: PCI functions to PciDriver services, by the ids in their config space. */
    static BusFactory.Spec<PciDevice> spec() {
        return new BusFactory.Spec<>(PciConstants.BUS, PciDevice.class, PciDriver.class, VALIDATOR, PciBusAdapter::identity);
    }

    static Map<String, ?> identity(PciDevice d) {
        PciRegion c = d.config();
        return Map.of(PciConstants.SLOT, d.address().toString(),
                PciConstants.VENDOR, c.read16(PCI_VENDOR_ID),
                PciConstants.DEVICE, c.read16(PCI_DEVICE_ID),
                PciConstants.SUBSYSTEM_VENDOR, c.read16(PCI_SUBSYSTEM_VENDOR_ID),
                PciConstants.SUBSYSTEM_DEVICE, c.read16(PCI_SUBSYSTEM_ID),
                // the class code is the three bytes above the revision: base, sub-class, interface
                PciConstants.CLASS, c.read32(PCI_REVISION_ID) >>> 8,
                PciConstants.REVISION, c.read8(PCI_REVISION_ID),
                PciConstants.PROVIDER, String.valueOf(d.provider()));
    }

    PciBusAdapter(BusFactory.Engine<PciDevice> engine) {
        super(engine);
    }

    /** {@code device.name} defaults to the function's address and may not be anything else. */
    @Override
    public DeviceRegistration register(PciDevice device, Map<String, ?> properties) throws BusException {
        Map<String, Object> props = new HashMap<>(properties);
        if (device != null && device.address() != null) {
            String slot = device.address().toString();
            Object name = props.putIfAbsent(BusConstants.DEVICE_NAME, slot);
            if (name != null && !name.equals(slot)) {
                throw new BusException("property " + BusConstants.DEVICE_NAME + "=" + name + " is not the function's address " + slot);
            }
        }
        return super.register(device, props);
    }
}
