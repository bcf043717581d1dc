package pci.bus.internal;

import static pci.bus.PciRegs.PCI_CAP_FLAGS;
import static pci.bus.PciRegs.PCI_CAP_ID_EXP;
import static pci.bus.PciRegs.PCI_CAP_ID_MSI;
import static pci.bus.PciRegs.PCI_CAP_ID_MSIX;
import static pci.bus.PciRegs.PCI_CAP_ID_PM;
import static pci.bus.PciRegs.PCI_CAP_ID_VNDR;
import static pci.bus.PciRegs.PCI_COMMAND;
import static pci.bus.PciRegs.PCI_COMMAND_IO;
import static pci.bus.PciRegs.PCI_COMMAND_MASTER;
import static pci.bus.PciRegs.PCI_COMMAND_MEMORY;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS_ENABLE;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS_MASKALL;
import static pci.bus.PciRegs.PCI_MSIX_FLAGS_QSIZE;
import static pci.bus.PciRegs.PCI_MSIX_PBA;
import static pci.bus.PciRegs.PCI_MSIX_TABLE;
import static pci.bus.PciRegs.PCI_MSIX_TABLE_BIR;
import static pci.bus.PciRegs.PCI_MSIX_TABLE_OFFSET;

import driver.core.BindingState;
import driver.core.DeviceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pci.bus.PciBar;
import pci.bus.PciBus;
import pci.bus.PciCapabilities;
import pci.bus.PciCapability;
import pci.bus.PciConstants;
import pci.bus.PciDevice;
import pci.bus.PciProvider;
import pci.bus.PciRegion;

/**
 * What {@code pci:lspci} shows, as records: one per function (ids, class, provider, the bound
 * driver; BARs, capabilities and counters for {@code -v}) and one per provider. {@link LspciFormat}
 * prints them.
 */
record Lspci(List<Function> functions, List<Provider> providers) {

    /** One function. {@code driver} is set only while bound; {@code capabilityProblem} where the walk stopped early. */
    record Function(String slot, int classCode, int vendor, int device, int subsystemVendor, int subsystemDevice,
            int revision, String provider, String driver, String state, boolean memory, boolean io, boolean master,
            List<Bar> bars, List<Capability> capabilities, String capabilityProblem, Map<String, Long> counters) {}

    /** One implemented BAR. */
    record Bar(int index, String type, boolean prefetchable, long address, long size) {}

    /** One capability: its offset, ID, name and what lspci decodes of it. */
    record Capability(int offset, int id, String name, String detail) {}

    /** One provider and what it says of itself. */
    record Provider(String name, String status) {}

    /** Reads every function on the bus (configuration space only: reading it changes nothing). */
    static Lspci of(PciBus bus, List<PciProvider> providers) {
        List<Function> rows = new ArrayList<>();
        for (DeviceInfo info : bus.devices()) {
            bus.device(info.name()).ifPresent(d -> rows.add(function(d, info)));
        }
        rows.sort((a, b) -> a.slot().compareTo(b.slot()));
        List<Provider> ps = providers.stream().map(p -> new Provider(p.name(), p.status()))
                .sorted((a, b) -> a.name().compareTo(b.name())).toList();
        return new Lspci(rows, ps);
    }

    private static Function function(PciDevice d, DeviceInfo info) {
        Map<String, Object> p = info.properties();
        PciRegion c = d.config();
        int command = c.read16(PCI_COMMAND);
        PciCapabilities caps = PciCapabilities.walk(c);
        List<Capability> capRows = caps.capabilities().stream().map(cap -> capability(c, cap)).toList();
        List<Bar> bars = d.bars().stream().map(b -> new Bar(b.index(), barType(b), b.prefetchable(), b.address(), b.size())).toList();
        return new Function(info.name(), intOf(p.get(PciConstants.CLASS)), intOf(p.get(PciConstants.VENDOR)),
                intOf(p.get(PciConstants.DEVICE)), intOf(p.get(PciConstants.SUBSYSTEM_VENDOR)),
                intOf(p.get(PciConstants.SUBSYSTEM_DEVICE)), intOf(p.get(PciConstants.REVISION)), d.provider(),
                // the driver of a function it is still probing is not its driver yet
                info.state() == BindingState.BOUND ? info.driver() : null, info.state().name().toLowerCase(),
                (command & PCI_COMMAND_MEMORY) != 0, (command & PCI_COMMAND_IO) != 0, (command & PCI_COMMAND_MASTER) != 0,
                bars, capRows, caps.problem(), java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(d.counters())));
    }

    private static Capability capability(PciRegion c, PciCapability cap) {
        int at = cap.offset();
        return switch (cap.id()) {
            case PCI_CAP_ID_MSIX -> {
                int flags = c.contains(at + PCI_MSIX_FLAGS, 2) ? c.read16(at + PCI_MSIX_FLAGS) : 0;
                String detail = String.format("Enable%s Count=%d Masked%s", sign(flags & PCI_MSIX_FLAGS_ENABLE),
                        (flags & PCI_MSIX_FLAGS_QSIZE) + 1, sign(flags & PCI_MSIX_FLAGS_MASKALL));
                if (c.contains(at + PCI_MSIX_PBA, 4)) {
                    int table = c.read32(at + PCI_MSIX_TABLE);
                    int pba = c.read32(at + PCI_MSIX_PBA);
                    detail += String.format(" Vector table: BAR=%d offset=%08x PBA: BAR=%d offset=%08x",
                            table & PCI_MSIX_TABLE_BIR, table & PCI_MSIX_TABLE_OFFSET, pba & PCI_MSIX_TABLE_BIR,
                            pba & PCI_MSIX_TABLE_OFFSET);
                }
                yield new Capability(at, cap.id(), "MSI-X", detail);
            }
            case PCI_CAP_ID_VNDR -> new Capability(at, cap.id(), "Vendor Specific Information",
                    c.contains(at + PCI_CAP_FLAGS, 1) ? "Len=" + String.format("%02x", c.read8(at + PCI_CAP_FLAGS)) : "");
            case PCI_CAP_ID_PM -> new Capability(at, cap.id(), "Power Management", "");
            case PCI_CAP_ID_MSI -> new Capability(at, cap.id(), "MSI", "");
            case PCI_CAP_ID_EXP -> new Capability(at, cap.id(), "Express", "");
            default -> new Capability(at, cap.id(), String.format("Capability ID 0x%02x", cap.id()), "");
        };
    }

    private static String barType(PciBar b) {
        return switch (b.type()) {
            case MEM32 -> "32-bit";
            case MEM64 -> "64-bit";
            case IO -> "I/O";
        };
    }

    private static String sign(int bit) {
        return bit != 0 ? "+" : "-";
    }

    private static int intOf(Object o) {
        return o instanceof Integer i ? i : 0;
    }
}
