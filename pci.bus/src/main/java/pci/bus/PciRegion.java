package pci.bus;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A window of a PCI function that is read and written by width: its configuration space, or one
 * of its BARs. Every access is checked here, once, for every provider: the width must be 1, 2, 4
 * or (where the region allows it) 8 bytes, and the bytes must lie inside the region; a refused
 * access never reaches the provider. Alignment and which widths a register accepts are the
 * function's business (a real function may split or refuse an unaligned access; an emulated one
 * counts it), so they pass through.
 *
 * <p>Values are little-endian, as PCI is: a 16-bit read at {@code o} is byte {@code o} plus byte
 * {@code o + 1} shifted by 8. Reads return the value zero-extended.
 */
public final class PciRegion {

    /**
     * What a provider implements behind a region: called only with a checked width and range.
     * Implementations must not throw for a checked access; a function that cannot answer (a
     * surprise removal) reads all ones, as a PCI master abort does.
     */
    @ProviderType
    public interface Access {
        /** The value at {@code offset}, {@code width} bytes, zero-extended. */
        long read(long offset, int width);

        /** Writes the low {@code width} bytes of {@code value} at {@code offset}. */
        void write(long offset, int width, long value);
    }

    private final long size;
    private final int maxWidth;
    private final Access access;

    /**
     * @param size bytes in the region, positive
     * @param maxWidth the widest access the region takes: 4 (configuration space) or 8 (memory BARs)
     */
    public PciRegion(long size, int maxWidth, Access access) {
        if (size <= 0) {
            throw new IllegalArgumentException("region size " + size + " must be positive");
        }
        if (maxWidth != 4 && maxWidth != 8) {
            throw new IllegalArgumentException("widest access " + maxWidth + " must be 4 or 8");
        }
        this.size = size;
        this.maxWidth = maxWidth;
        this.access = Objects.requireNonNull(access, "access");
    }

    /** Bytes in the region. */
    public long size() {
        return size;
    }

    /** The widest access allowed, 4 or 8 bytes. */
    public int maxWidth() {
        return maxWidth;
    }

    /**
     * Reads {@code width} bytes at {@code offset}.
     *
     * @throws IllegalArgumentException a width other than 1, 2, 4 or (if allowed) 8
     * @throws IndexOutOfBoundsException bytes outside the region
     */
    public long read(long offset, int width) {
        check(offset, width);
        return access.read(offset, width);
    }

    /**
     * Writes the low {@code width} bytes of {@code value} at {@code offset}.
     *
     * @throws IllegalArgumentException a width other than 1, 2, 4 or (if allowed) 8
     * @throws IndexOutOfBoundsException bytes outside the region
     */
    public void write(long offset, int width, long value) {
        check(offset, width);
        access.write(offset, width, value);
    }

    public int read8(long offset) {
        return (int) read(offset, 1);
    }

    public int read16(long offset) {
        return (int) read(offset, 2);
    }

    public int read32(long offset) {
        return (int) read(offset, 4);
    }

    public long read64(long offset) {
        return read(offset, 8);
    }

    public void write8(long offset, int value) {
        write(offset, 1, value);
    }

    public void write16(long offset, int value) {
        write(offset, 2, value);
    }

    public void write32(long offset, int value) {
        write(offset, 4, value & 0xffff_ffffL);
    }

    public void write64(long offset, long value) {
        write(offset, 8, value);
    }

    /** Whether {@code length} bytes at {@code offset} lie inside the region (no overflow). */
    public boolean contains(long offset, long length) {
        return offset >= 0 && length >= 0 && length <= size && offset <= size - length;
    }

    private void check(long offset, int width) {
        if (width != 1 && width != 2 && width != 4 && !(width == 8 && maxWidth == 8)) {
            throw new IllegalArgumentException("a " + width + "-byte access: this region takes 1, 2, 4"
                    + (maxWidth == 8 ? " or 8" : "") + " bytes");
        }
        if (!contains(offset, width)) {
            throw new IndexOutOfBoundsException("a " + width + "-byte access at 0x" + Long.toHexString(offset)
                    + " leaves the region of 0x" + Long.toHexString(size) + " bytes");
        }
    }

    @Override
    public String toString() {
        return "PciRegion[0x" + Long.toHexString(size) + " bytes]";
    }
}
