package pci.vfio.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import linux.ffm.LinuxException;
import pci.bus.PciDma;

/**
 * A function's DMA window through the VFIO type 1 IOMMU: each mapping is installed with
 * VFIO_IOMMU_MAP_DMA of the segment's process address, so the function reaches exactly the memory
 * the driver mapped. The window is the IOMMU's first IOVA range. The container is shared by the
 * provider's functions, so the mappings of one function are the mappings of its IOMMU domain.
 */
final class VfioDma implements PciDma {

    private final VfioContainer container;
    private final long first;
    private final long last;
    private final List<Mapping> mappings = new ArrayList<>();
    private long maps;
    private long unmaps;

    VfioDma(VfioContainer container, long first, long last) {
        this.container = container;
        this.first = first;
        this.last = last;
    }

    @Override public long first() { return first; }
    @Override public long last() { return last; }

    @Override
    public synchronized void map(long iova, MemorySegment memory, int permission) {
        long size = memory.byteSize();
        PciDma.checkMapping(first, last, mappings, iova, size, permission);
        if (!memory.isNative()) {
            throw new IllegalArgumentException("only native memory can be mapped for a device");
        }
        int flags = ((permission & READ) != 0 ? VfioUapi.VFIO_DMA_MAP_FLAG_READ : 0)
                | ((permission & WRITE) != 0 ? VfioUapi.VFIO_DMA_MAP_FLAG_WRITE : 0);
        try {
            container.map(memory.address(), iova, size, flags);
        } catch (LinuxException e) {
            throw new IllegalStateException("VFIO_IOMMU_MAP_DMA of 0x" + Long.toHexString(iova) + ": " + e.getMessage(), e);
        }
        maps++;
        mappings.add(new Mapping(iova, size, permission));
        mappings.sort(Comparator.comparing(Mapping::iova, Long::compareUnsigned));
    }

    @Override
    public synchronized void unmap(long iova, long size) {
        for (var it = mappings.iterator(); it.hasNext(); ) {
            Mapping m = it.next();
            if (PciDma.inside(m, iova, size)) {
                try {
                    container.unmap(m.iova(), m.size());
                } catch (LinuxException e) {
                    throw new IllegalStateException("VFIO_IOMMU_UNMAP_DMA of 0x" + Long.toHexString(m.iova()) + ": " + e.getMessage(), e);
                }
                it.remove();
                unmaps++;
            }
        }
    }

    /** What {@code lspci -v} shows: mappings installed now and their bytes, and VFIO_IOMMU_MAP_DMA / UNMAP_DMA done. */
    synchronized void counters(Map<String, Long> out) {
        out.put("dma_mappings", (long) mappings.size());
        out.put("dma_bytes", mappings.stream().mapToLong(Mapping::size).sum());
        out.put("dma_maps", maps);
        out.put("dma_unmaps", unmaps);
    }

    @Override
    public synchronized List<Mapping> mappings() {
        return new ArrayList<>(mappings);
    }
}
