package pci.bus;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The memory a function may reach by DMA (its IOMMU domain): bus addresses (IOVAs) in
 * {@code [first, last]} that the driver maps to its own memory, and nothing else. A function's
 * access to an IOVA that is not mapped, or without the permission, faults and never reaches other
 * memory. An emulated function resolves IOVAs through this table; VFIO installs each mapping in
 * the IOMMU (VFIO_IOMMU_MAP_DMA of the segment's address).
 */
@ProviderType
public interface PciDma {

    /** Permission: the function may read the memory. */
    int READ = 1;
    /** Permission: the function may write the memory. */
    int WRITE = 2;

    /** One installed mapping. */
    record Mapping(long iova, long size, int permission) {}

    /** The lowest IOVA that may be mapped. */
    long first();

    /** The highest IOVA that may be mapped (inclusive). */
    long last();

    /**
     * Maps {@code memory} at {@code iova} with {@link #READ} and/or {@link #WRITE}. The memory must
     * stay valid until it is unmapped.
     *
     * @throws IllegalArgumentException a range outside the window, overlapping a mapping, or no permission
     * @throws IllegalStateException the provider refused (an IOMMU error), with its reason
     */
    void map(long iova, MemorySegment memory, int permission);

    /**
     * Removes the mappings inside {@code [iova, iova + size)}. When this returns the function can no
     * longer reach them.
     */
    void unmap(long iova, long size);

    /** The mappings, lowest IOVA first. */
    List<Mapping> mappings();

    /**
     * The rule every window applies before it installs a mapping: a permission of {@link #READ}
     * and/or {@link #WRITE}, a non-empty range that neither wraps nor leaves {@code [first, last]},
     * and no overlap with {@code existing}. Unsigned arithmetic throughout.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static void checkMapping(long first, long last, List<Mapping> existing, long iova, long size, int permission) {
        if ((permission & (READ | WRITE)) == 0 || (permission & ~(READ | WRITE)) != 0) {
            throw new IllegalArgumentException("permission " + permission + ": READ, WRITE or both");
        }
        long end = iova + size - 1;
        if (size <= 0 || Long.compareUnsigned(end, iova) < 0 || Long.compareUnsigned(iova, first) < 0
                || Long.compareUnsigned(end, last) > 0) {
            throw new IllegalArgumentException("0x" + Long.toHexString(size) + " bytes at 0x" + Long.toHexString(iova)
                    + " leave the window 0x" + Long.toHexString(first) + "..0x" + Long.toHexString(last));
        }
        for (Mapping m : existing) {
            if (Long.compareUnsigned(iova, m.iova() + m.size() - 1) <= 0 && Long.compareUnsigned(m.iova(), end) <= 0) {
                throw new IllegalArgumentException("0x" + Long.toHexString(iova) + " overlaps the mapping at 0x" + Long.toHexString(m.iova()));
            }
        }
    }

    /** Whether {@code m} lies inside {@code [iova, iova + size)}: what {@link #unmap} removes. */
    static boolean inside(Mapping m, long iova, long size) {
        return Long.compareUnsigned(m.iova(), iova) >= 0 && Long.compareUnsigned(m.iova() + m.size() - 1, iova + size - 1) <= 0;
    }
}
