package pci.bus;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a PCI function sits: domain (segment), bus, device (slot) and function, written as Linux
 * writes it, {@code 0000:00:04.0} (the kernel's pci_name, sysfs's directory names).
 *
 * @param domain 0..0xffff
 * @param bus 0..0xff
 * @param device 0..0x1f
 * @param function 0..7
 */
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {

    private static final Pattern TEXT = Pattern.compile("([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

    /** Checks each part's range; the message names the part. */
    public PciAddress {
        if (domain < 0 || domain > 0xffff) {
            throw new IllegalArgumentException("PCI domain " + domain + " is outside 0..0xffff");
        }
        if (bus < 0 || bus > 0xff) {
            throw new IllegalArgumentException("PCI bus " + bus + " is outside 0..0xff");
        }
        if (device < 0 || device > 0x1f) {
            throw new IllegalArgumentException("PCI device " + device + " is outside 0..0x1f");
        }
        if (function < 0 || function > 7) {
            throw new IllegalArgumentException("PCI function " + function + " is outside 0..7");
        }
    }

    /**
     * Parses {@code DDDD:BB:SS.F} (hex, as lspci -D prints it).
     *
     * @throws IllegalArgumentException naming the text
     */
    public static PciAddress parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("invalid PCI address '" + text + "': expected domain:bus:device.function, e.g. 0000:00:04.0");
        }
        return new PciAddress(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16),
                Integer.parseInt(m.group(3), 16), Integer.parseInt(m.group(4)));
    }

    @Override
    public int compareTo(PciAddress o) {
        return Long.compare(ordinal(), o.ordinal());
    }

    private long ordinal() {
        return ((long) domain << 16) | (bus << 8) | (device << 3) | function;
    }

    /** {@code 0000:00:04.0}. */
    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%d", domain, bus, device, function);
    }
}
