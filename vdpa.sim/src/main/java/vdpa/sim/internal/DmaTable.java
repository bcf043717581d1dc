package vdpa.sim.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import vdpa.bus.Iotlb;
import vdpa.bus.IotlbMapping;
import vdpa.bus.IovaRange;
import virtio.ring.AddressSpace;

/**
 * The device's one address space as the DMA ops fill it (dma_map, dma_unmap, set_map,
 * reset_map). A simulated device has no memory of its own: it reaches the driver's memory only
 * through the segment a mapping carries, so a mapping without one is refused, and the default
 * (reset_map) mapping is empty. The ops check the address space id and take the device lock;
 * {@link #clear()} is for a caller that holds it already.
 */
final class DmaTable {

    /** Region ends must stay below 2^64 - 1 in the ring core's address space. */
    static final IovaRange IOVA_RANGE = new IovaRange(0, -2L);

    private final AddressSpace space;
    private final Object lock;

    DmaTable(AddressSpace space, Object lock) {
        this.space = space;
        this.lock = lock;
    }

    private static void checkAsid(int asid) {
        if (asid != 0) {
            throw new IllegalArgumentException("address space " + asid + ": the device has one (0)");
        }
    }

    /** dma_map: refused on overlap, outside the range, or without a segment. */
    void map(int asid, IotlbMapping m) {
        checkAsid(asid);
        synchronized (lock) {
            space.map(m.iova(), segmentOf(m), permission(m));
        }
    }

    /** dma_unmap. */
    void unmap(int asid, long iova, long size) {
        checkAsid(asid);
        synchronized (lock) {
            space.unmap(iova, size);
        }
    }

    /** set_map: the whole table at once; if any mapping is refused the old table stays. */
    void replace(int asid, Iotlb iotlb) {
        checkAsid(asid);
        List<AddressSpace.Region> regions = new ArrayList<>(iotlb.mappings().size());
        for (IotlbMapping m : iotlb.mappings()) {
            regions.add(new AddressSpace.Region(m.iova(), segmentOf(m), permission(m)));
        }
        synchronized (lock) {
            space.replace(regions);
        }
    }

    /** reset_map: back to the empty default. */
    void reset(int asid) {
        checkAsid(asid);
        synchronized (lock) {
            clear();
        }
    }

    /** Empties the table; the caller holds the device lock. */
    void clear() {
        space.replace(List.of());
    }

    private static MemorySegment segmentOf(IotlbMapping m) {
        if (m.memory() == null) {
            throw new IllegalArgumentException("mapping at 0x" + Long.toHexString(m.iova())
                    + " has no memory segment: a simulated device reaches memory only through one");
        }
        if (!IOVA_RANGE.contains(m.iova(), m.size())) {
            throw new IllegalArgumentException("mapping at 0x" + Long.toHexString(m.iova()) + " leaves the IOVA range");
        }
        return m.memory().asSlice(0, m.size());
    }

    private static int permission(IotlbMapping m) {
        return switch (m.permission()) {
            case RO -> AddressSpace.READ;
            case WO -> AddressSpace.WRITE;
            case RW -> AddressSpace.READ_WRITE;
        };
    }
}
