package vdpa.bus;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One IOVA-to-memory translation (an entry of the kernel's vhost_iotlb, or one dma_map call).
 *
 * <p>{@code address} is what the translation yields in the device's own terms (a host physical
 * address for hardware, a process virtual address for a device that uses VA). {@code memory},
 * when not {@code null}, is the same range as a segment an in-JVM device can access directly
 * (e.g. an mmap-ed memfd region a vhost-user frontend sent); it must be at least {@code size}
 * bytes. Hardware devices ignore it.
 *
 * @param iova first bus address of the range
 * @param size length in bytes, positive; {@code iova + size - 1} must not wrap
 * @param address the translated address of {@code iova}
 * @param permission what the device may do with the range
 * @param memory the range as a segment, or {@code null}
 */
public record IotlbMapping(long iova, long size, long address, IotlbPermission permission, MemorySegment memory) {

    public IotlbMapping {
        Objects.requireNonNull(permission, "permission");
        if (size <= 0) {
            throw new IllegalArgumentException("mapping size " + size + " must be positive");
        }
        if (Long.compareUnsigned(iova + size - 1, iova) < 0) {
            throw new IllegalArgumentException("mapping 0x" + Long.toHexString(iova) + "+0x" + Long.toHexString(size) + " wraps");
        }
        if (memory != null && memory.byteSize() < size) {
            throw new IllegalArgumentException("segment of " + memory.byteSize() + " bytes backs a mapping of " + size);
        }
    }

    /** A mapping without a segment. */
    public IotlbMapping(long iova, long size, long address, IotlbPermission permission) {
        this(iova, size, address, permission, null);
    }

    /** The last IOVA of the range (inclusive), as vhost_iotlb keeps it. */
    public long last() {
        return iova + size - 1;
    }

    /** Whether this range and another share an address. */
    public boolean overlaps(IotlbMapping other) {
        return Long.compareUnsigned(iova, other.last()) <= 0 && Long.compareUnsigned(other.iova, last()) <= 0;
    }
}
