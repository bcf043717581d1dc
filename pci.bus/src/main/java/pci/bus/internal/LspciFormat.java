package pci.bus.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import shell.format.Layout;

/**
 * {@code pci:lspci} as text, in lspci's words: one line per function as {@code lspci -nn} prints
 * it plus its provider and driver; with {@code -v} the lines {@code lspci -vv} would add (subsystem,
 * control bits, regions, capabilities, the driver in use) and the provider's counters that are not
 * zero; then one line per provider. The JSON is the report itself, every counter included.
 */
final class LspciFormat implements Layout<Lspci> {

    /** {@code pci:lspci}. */
    static final LspciFormat SHORT = new LspciFormat(false);
    /** {@code pci:lspci -v}. */
    static final LspciFormat VERBOSE = new LspciFormat(true);

    private final boolean verbose;

    private LspciFormat(boolean verbose) {
        this.verbose = verbose;
    }

    /** The one report a command returns. */
    @Override
    public String text(List<? extends Lspci> records) {
        StringBuilder b = new StringBuilder();
        for (Lspci l : records) {
            b.append(text(l, verbose));
        }
        return b.toString();
    }

    @Override
    public Object json(List<? extends Lspci> records) {
        return records.size() == 1 ? records.get(0) : records;
    }

    private static final Map<Integer, String> VENDORS = Map.of(0x1af4, "Red Hat, Inc.", 0x1b36, "Red Hat, Inc.",
            0x8086, "Intel Corporation");
    private static final Map<Integer, String> CLASSES = Map.ofEntries(Map.entry(0x0000, "Non-VGA unclassified device"),
            Map.entry(0x0100, "SCSI storage controller"), Map.entry(0x0180, "Mass storage controller"),
            Map.entry(0x0200, "Ethernet controller"), Map.entry(0x0280, "Network controller"),
            Map.entry(0x0300, "VGA compatible controller"), Map.entry(0x0600, "Host bridge"),
            Map.entry(0x0780, "Communication controller"), Map.entry(0x0880, "System peripheral"),
            Map.entry(0x0c03, "USB controller"), Map.entry(0xff00, "Unassigned class"));

    private static String text(Lspci l, boolean verbose) {
        StringBuilder b = new StringBuilder();
        for (Lspci.Function f : l.functions()) {
            int cls = f.classCode() >>> 8;
            b.append(f.slot()).append(' ').append(CLASSES.getOrDefault(cls, "Class " + hex4(cls)))
                    .append(" [").append(hex4(cls)).append("]: ").append(vendor(f.vendor()))
                    .append(" Device [").append(hex4(f.vendor())).append(':').append(hex4(f.device())).append(']')
                    .append(String.format(" (rev %02x)", f.revision()));
            if (!verbose) {
                b.append(" provider ").append(f.provider()).append(" driver ").append(f.driver() == null ? "-" : f.driver());
                b.append('\n');
                continue;
            }
            b.append('\n');
            b.append("\tSubsystem: ").append(vendor(f.subsystemVendor())).append(" Device [")
                    .append(hex4(f.subsystemVendor())).append(':').append(hex4(f.subsystemDevice())).append("]\n");
            b.append("\tProvider: ").append(f.provider()).append('\n');
            b.append("\tControl: I/O").append(sign(f.io())).append(" Mem").append(sign(f.memory()))
                    .append(" BusMaster").append(sign(f.master())).append('\n');
            for (Lspci.Bar r : f.bars()) {
                b.append("\tRegion ").append(r.index()).append(": ")
                        .append(r.type().equals("I/O") ? "I/O ports at " : "Memory at ").append(Long.toHexString(r.address()))
                        .append(r.type().equals("I/O") ? "" : " (" + r.type() + ", " + (r.prefetchable() ? "" : "non-") + "prefetchable)")
                        .append(" [size=").append(size(r.size())).append("]\n");
            }
            for (Lspci.Capability c : f.capabilities()) {
                b.append("\tCapabilities: [").append(String.format("%02x", c.offset())).append("] ").append(c.name());
                if (!c.detail().isEmpty()) {
                    b.append(": ").append(c.detail());
                }
                b.append('\n');
            }
            if (f.capabilityProblem() != null) {
                b.append("\tCapabilities: <broken: ").append(f.capabilityProblem()).append(">\n");
            }
            if (f.driver() != null) {
                b.append("\tKernel driver in use: ").append(f.driver()).append('\n');
            }
            // the counters that moved: a provider may keep dozens (JSON has them all)
            Map<String, Long> moved = new TreeMap<>();
            f.counters().forEach((k, v) -> {
                if (v != 0) {
                    moved.put(k, v);
                }
            });
            if (!moved.isEmpty()) {
                b.append("\tCounters:");
                moved.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
                b.append('\n');
            }
        }
        for (Lspci.Provider p : l.providers()) {
            b.append("provider ").append(p.name()).append(": ").append(p.status()).append('\n');
        }
        return b.toString();
    }

    private static String vendor(int id) {
        return VENDORS.getOrDefault(id, "Vendor " + hex4(id));
    }

    private static String hex4(int v) {
        return String.format("%04x", v);
    }

    private static String sign(boolean on) {
        return on ? "+" : "-";
    }

    /** lspci's sizes: 16K, 4M, 512. */
    static String size(long bytes) {
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        while (u < units.length - 1 && bytes >= 1024 && bytes % 1024 == 0) {
            bytes /= 1024;
            u++;
        }
        return bytes + units[u];
    }
}
