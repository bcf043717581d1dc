package pci.bus.internal;

import static pci.bus.PciRegs.PCI_CFG_SPACE_EXP_SIZE;
import static pci.bus.PciRegs.PCI_CFG_SPACE_SIZE;
import static pci.bus.PciRegs.PCI_HEADER_TYPE;
import static pci.bus.PciRegs.PCI_HEADER_TYPE_NORMAL;
import static pci.bus.PciRegs.PCI_VENDOR_ID;

import java.util.function.Function;
import pci.bus.PciBar;
import pci.bus.PciDevice;
import pci.bus.PciRegion;

/**
 * Why the PCI bus refuses a function, or {@code null}: what every driver may rely on without
 * checking. A configuration space of 256 or 4096 bytes taking 32-bit accesses, a function that
 * answers (Vendor ID neither 0xffff, what a master abort reads, nor 0), a type 0 header (bridges
 * are not functions a driver binds here), and BARs that fit their slots without sharing one.
 */
final class PciDeviceValidator implements Function<PciDevice, String> {

    @Override
    public String apply(PciDevice d) {
        if (d.address() == null) {
            return "address() is null";
        }
        PciRegion config = d.config();
        if (config == null) {
            return "config() is null";
        }
        if (config.size() != PCI_CFG_SPACE_SIZE && config.size() != PCI_CFG_SPACE_EXP_SIZE) {
            return "configuration space of " + config.size() + " bytes: PCI has 256, PCI Express 4096";
        }
        if (config.maxWidth() != 4) {
            return "configuration space takes " + config.maxWidth() + "-byte accesses; PCI's widest is 4";
        }
        int vendor = config.read16(PCI_VENDOR_ID);
        if (vendor == 0xffff || vendor == 0) {
            return String.format("Vendor ID 0x%04x: no function answers at %s", vendor, d.address());
        }
        int header = config.read8(PCI_HEADER_TYPE) & 0x7f;
        if (header != PCI_HEADER_TYPE_NORMAL) {
            return "header type " + header + ": only type 0 functions (endpoints) go on this bus";
        }
        boolean[] slot = new boolean[6];
        for (PciBar b : d.bars()) {
            int slots = b.type() == PciBar.Type.MEM64 ? 2 : 1;
            for (int i = b.index(); i < b.index() + slots; i++) {
                if (slot[i]) {
                    return "BAR " + b.index() + " overlaps another BAR in register slot " + i;
                }
                slot[i] = true;
            }
        }
        if (d.dma() == null) {
            return "dma() is null";
        }
        if (d.msix() == null) {
            return "msix() is null (a function without MSI-X answers Optional.empty())";
        }
        return null;
    }
}
