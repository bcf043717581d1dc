package vdpa.hw.pci.internal;

import pci.bus.PciDevice;
import pci.bus.PciRegs;
import vdpa.bus.VdpaDevice;

/**
 * vp_vdpa's vDPA device over a PCI function, made as the driver's probe makes it, for the bridge's
 * tests of a device that keeps the contract by register access only (it cannot report queue
 * state, stop one queue, or take whole IOTLB tables).
 */
public final class VpDevices {
    private VpDevices() {}

    /** Memory Space and Bus Master on, the virtio structures checked and mapped, the function reset, every feature offered. */
    public static VdpaDevice over(String name, PciDevice f) {
        f.config().write16(PciRegs.PCI_COMMAND, PciRegs.PCI_COMMAND_MEMORY | PciRegs.PCI_COMMAND_MASTER);
        VirtioPciCaps caps = VpPciDriver.capabilities(f);
        if (caps.refusal() != null) {
            throw new IllegalStateException(caps.refusal());
        }
        VpModern hw = new VpModern(f, caps);
        if (!hw.reset()) {
            throw new IllegalStateException(f.address() + " did not reset");
        }
        return new VpVdpaDevice(name, hw, -1L);
    }
}
