package vdpa.bus;

/**
 * The IOVA range a device can translate (the kernel's {@code struct vdpa_iova_range}), inclusive
 * at both ends and compared unsigned.
 *
 * @param first the lowest usable IOVA
 * @param last the highest usable IOVA
 */
public record IovaRange(long first, long last) {

    /** Every 64-bit address: what a device without its own limit reports. */
    public static final IovaRange FULL = new IovaRange(0, -1L);

    public IovaRange {
        if (Long.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("IOVA range first 0x" + Long.toHexString(first) + " > last 0x" + Long.toHexString(last));
        }
    }

    /** Whether {@code [iova, iova + size)} lies inside this range (and does not wrap). */
    public boolean contains(long iova, long size) {
        if (size == 0) {
            return false;
        }
        long end = iova + size - 1;
        return Long.compareUnsigned(end, iova) >= 0
                && Long.compareUnsigned(iova, first) >= 0 && Long.compareUnsigned(end, last) <= 0;
    }
}
