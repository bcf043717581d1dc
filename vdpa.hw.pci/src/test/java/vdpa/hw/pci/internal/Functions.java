package vdpa.hw.pci.internal;

import pci.bus.PciDevice;
import pci.bus.PciRegs;

/** What the driver's probe does to a function before it makes a vDPA device, for tests that skip the bus. */
final class Functions {
    private Functions() {}

    /** Memory Space and Bus Master on, the structures checked and mapped, the function reset. */
    static VpModern modern(PciDevice f) {
        f.config().write16(PciRegs.PCI_COMMAND, PciRegs.PCI_COMMAND_MEMORY | PciRegs.PCI_COMMAND_MASTER);
        VirtioPciCaps caps = VpPciDriver.capabilities(f);
        if (caps.refusal() != null) {
            throw new IllegalStateException(caps.refusal());
        }
        VpModern hw = new VpModern(f, caps);
        if (!hw.reset()) {
            throw new IllegalStateException("no reset");
        }
        return hw;
    }
}
