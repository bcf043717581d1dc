package vdpa.hw.pci.internal;

import pci.bus.PciRegion;

/**
 * One virtio structure as the driver reaches it: {@code length} bytes at {@code base} of a BAR,
 * checked against the BAR when the capabilities were read ({@link VirtioPciCaps}). An access
 * outside the structure is this driver's own mistake and throws; the BAR's region checks again.
 */
final class Window {

    private final PciRegion region;
    private final long base;
    private final long length;

    Window(PciRegion region, long base, long length) {
        if (!region.contains(base, length)) {
            throw new IllegalArgumentException("structure of 0x" + Long.toHexString(length) + " bytes at 0x"
                    + Long.toHexString(base) + " leaves its BAR of 0x" + Long.toHexString(region.size()));
        }
        this.region = region;
        this.base = base;
        this.length = length;
    }

    long length() {
        return length;
    }

    /** Whether {@code width} bytes at {@code offset} lie in the structure. */
    boolean contains(long offset, int width) {
        return offset >= 0 && offset <= length - width;
    }

    int read8(long offset) {
        return (int) read(offset, 1);
    }

    int read16(long offset) {
        return (int) read(offset, 2);
    }

    int read32(long offset) {
        return (int) read(offset, 4);
    }

    void write8(long offset, int v) {
        write(offset, 1, v);
    }

    void write16(long offset, int v) {
        write(offset, 2, v);
    }

    void write32(long offset, int v) {
        write(offset, 4, v & 0xffff_ffffL);
    }

    private long read(long offset, int width) {
        check(offset, width);
        return region.read(base + offset, width);
    }

    private void write(long offset, int width, long value) {
        check(offset, width);
        region.write(base + offset, width, value);
    }

    private void check(long offset, int width) {
        if (!contains(offset, width)) {
            throw new IndexOutOfBoundsException("a " + width + "-byte access at 0x" + Long.toHexString(offset)
                    + " leaves the structure of 0x" + Long.toHexString(length) + " bytes");
        }
    }
}
