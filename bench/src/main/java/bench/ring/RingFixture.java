package bench.ring;

import virtio.ring.AddressSpace;
import virtio.ring.BufferChain;
import virtio.ring.DeviceQueue;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;
import virtio.ring.RingErrorCounter;
import virtio.spec.VirtioFeatures;

/**
 * A driver side and a device side of one queue over one DMA pool, as the benchmarks set them up:
 * queue size 256, a two-element buffer (64 device-readable bytes, 64 device-writable bytes) built
 * once and offered again and again. Allocation happens here, never per operation.
 */
public final class RingFixture implements AutoCloseable {

    /** Queue size of every ring benchmark, the bare ring yardstick's included. */
    public static final int QUEUE_SIZE = 256;
    static final long IOVA_BASE = 0x4000_0000L;
    /** With {@code regions > 1} the pool is mapped as this many separate regions of this size. */
    static final long REGION = 64 * 1024;
    /** The token every benchmark buffer carries. */
    public static final Object TOKEN = new Object();

    final DmaPool pool;
    final AddressSpace space = new AddressSpace();
    final DriverQueue driver;
    final DeviceQueue device;
    final BufferChain chain = new BufferChain(2);

    /**
     * @param packed the layout
     * @param indirect negotiate INDIRECT_DESC so the two-element buffer takes one ring descriptor
     * @param regions 1: the pool is one mapping; more: that many mappings, the rings in the first
     *     and the two elements in two others, so every translation misses the resolver's last-hit
     *     cache and searches the table
     */
    RingFixture(boolean packed, boolean indirect, int regions) {
        long features = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
        if (packed) {
            features |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
        }
        if (indirect) {
            features |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_INDIRECT_DESC);
        }
        pool = DmaPool.create(REGION * Math.max(regions, 16), IOVA_BASE);
        if (regions <= 1) {
            pool.mapInto(space, AddressSpace.READ_WRITE);
        } else {
            for (int i = 0; i < regions; i++) {
                space.map(IOVA_BASE + i * REGION, pool.segment().asSlice(i * REGION, REGION), AddressSpace.READ_WRITE);
            }
        }
        // rings and indirect tables come first-fit from the pool's start: inside the first region
        driver = DriverQueue.create(pool, QUEUE_SIZE, features, indirect ? 2 : 0, new RingErrorCounter("bench-driver"));
        device = DeviceQueue.open(space, QUEUE_SIZE, features, driver.descAddress(), driver.driverAddress(),
                driver.deviceAddress());
        // the two elements sit in regions 5 and 11 (or just further into the single mapping)
        chain.readable(IOVA_BASE + 5 * REGION + 128, 64).writable(IOVA_BASE + 11 * REGION + 256, 64);
        if (device.isBroken()) {
            throw new IllegalStateException("device refused the rings: " + device.brokenReason());
        }
    }

    @Override
    public void close() {
        driver.close();
        pool.close();
    }
}
