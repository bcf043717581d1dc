package pci.bus;

import java.util.Objects;

/**
 * One implemented Base Address Register of a function and the window behind it (PCI 3.0 section
 * 6.2.5.1): what lspci prints as {@code Region 4: Memory at fe000000 (64-bit, prefetchable) [size=16K]}.
 * A 64-bit BAR takes two register slots; it is listed under the lower index.
 *
 * @param index the BAR number, 0..5
 * @param type memory (32- or 64-bit) or I/O
 * @param prefetchable the memory BAR's prefetchable bit
 * @param address the bus address the BAR is programmed with (for listings: nothing here maps it)
 * @param region the BAR's bytes; its size is the BAR's size, a power of two
 */
public record PciBar(int index, Type type, boolean prefetchable, long address, PciRegion region) {

    /** What kind of space a BAR decodes. */
    public enum Type {
        /** Memory space, below 4 GiB. */
        MEM32,
        /** Memory space, anywhere: two register slots. */
        MEM64,
        /** I/O space. */
        IO;

        /** Whether it decodes memory space. */
        public boolean memory() {
            return this != IO;
        }
    }

    /** Checks the index and that the size is a power of two, as BAR sizing requires. */
    public PciBar {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(region, "region");
        if (index < 0 || index > 5 || (type == Type.MEM64 && index > 4)) {
            throw new IllegalArgumentException("BAR " + index + " of type " + type + " does not fit BAR slots 0..5");
        }
        if (Long.bitCount(region.size()) != 1) {
            throw new IllegalArgumentException("BAR " + index + " size 0x" + Long.toHexString(region.size()) + " is not a power of two");
        }
        if (prefetchable && type == Type.IO) {
            throw new IllegalArgumentException("BAR " + index + ": an I/O BAR is never prefetchable");
        }
    }

    /** The BAR's size in bytes. */
    public long size() {
        return region.size();
    }
}
