package pci.bus;

import static pci.bus.PciRegs.PCI_CAPABILITY_LIST;
import static pci.bus.PciRegs.PCI_CAP_LIST_NEXT;
import static pci.bus.PciRegs.PCI_STATUS;
import static pci.bus.PciRegs.PCI_STATUS_CAP_LIST;
import static pci.bus.PciRegs.PCI_STD_HEADER_SIZEOF;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A function's capability list, walked the way the kernel's pci_find_capability walks it (PCI 3.0
 * section 6.7), with every value the function supplies treated as hostile: a pointer into the
 * header, a loop, an entry that reads all ones or lies beyond the readable configuration space
 * ends the walk, and the list says why. Capabilities found before the fault are kept. Pointers
 * are one byte and dword aligned, so a list without a loop has at most 48 entries (the kernel's
 * PCI_FIND_CAP_TTL): loop detection alone bounds the walk.
 *
 * @param capabilities the entries in list order
 * @param problem why the walk stopped early, or {@code null} if it reached the end of the list
 */
public record PciCapabilities(List<PciCapability> capabilities, String problem) {

    public PciCapabilities {
        capabilities = List.copyOf(capabilities);
    }

    /** Walks the list of a function's configuration space. */
    public static PciCapabilities walk(PciRegion config) {
        List<PciCapability> found = new ArrayList<>();
        if (!config.contains(PCI_CAPABILITY_LIST, 1)) {
            return new PciCapabilities(found, "configuration space of " + config.size() + " bytes has no capability pointer");
        }
        if ((config.read16(PCI_STATUS) & PCI_STATUS_CAP_LIST) == 0) {
            return new PciCapabilities(found, null);
        }
        boolean[] seen = new boolean[256];
        // the low two bits of every pointer are reserved: software masks them (section 6.7)
        int pos = config.read8(PCI_CAPABILITY_LIST) & ~3;
        while (pos != 0) {
            if (pos < PCI_STD_HEADER_SIZEOF) {
                return new PciCapabilities(found, String.format("capability pointer 0x%02x points into the header", pos));
            }
            if (!config.contains(pos, 2)) {
                return new PciCapabilities(found, String.format("capability at 0x%02x lies beyond the %d readable bytes",
                        pos, config.size()));
            }
            if (seen[pos]) {
                return new PciCapabilities(found, String.format("capability list loops back to 0x%02x", pos));
            }
            seen[pos] = true;
            int id = config.read8(pos);
            if (id == 0xff) {
                return new PciCapabilities(found, String.format("capability at 0x%02x reads 0xff: the function is not answering", pos));
            }
            found.add(new PciCapability(id, pos));
            pos = config.read8(pos + PCI_CAP_LIST_NEXT) & ~3;
        }
        return new PciCapabilities(found, null);
    }

    /** The first capability with this ID. */
    public Optional<PciCapability> first(int id) {
        return capabilities.stream().filter(c -> c.id() == id).findFirst();
    }

    /** Every capability with this ID, in list order. */
    public List<PciCapability> all(int id) {
        return capabilities.stream().filter(c -> c.id() == id).toList();
    }
}
