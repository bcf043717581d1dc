package virtio.vdpa.internal;

import vdpa.bus.IovaRange;
import vdpa.bus.VdpaDevice;
import virtio.ring.DriverQueue;
import virtio.spec.VirtioFeatures;

/**
 * How big a device's DMA pool is and where the device sees it.
 *
 * <p>The kernel allocates rings and buffers one at a time through the DMA API; here a class driver
 * carves them from one pool mapped once, so the pool must hold everything a driver of this device
 * can reasonably post: per virtqueue of size n, what the ring core takes for the queue
 * ({@link DriverQueue#poolBytes}: its areas, their alignment gaps, and indirect tables of the
 * ring core's default length if the device offers them) in the larger of the layouts the device
 * offers, and one 2 KiB buffer per entry (a full Ethernet frame with its virtio-net header). The
 * sum is rounded up to 1 MiB and kept
 * between {@link #MIN_SIZE} and {@link #MAX_SIZE}; a device with huge queues gets the maximum and
 * its driver posts fewer or smaller buffers.
 *
 * @param size pool size in bytes
 * @param iovaBase the bus address of the pool's first byte, inside the device's IOVA range
 */
record PoolPlan(long size, long iovaBase) {

    /** Bytes of buffer per ring entry: one MTU-sized frame and its header. */
    static final long BUFFER_BYTES_PER_ENTRY = 2048;
    /** Pool sizes are whole MiB. */
    static final long GRANULE = 1L << 20;
    /** The smallest pool. */
    static final long MIN_SIZE = GRANULE;
    /** The largest pool: native memory is not free, and no driver here posts more. */
    static final long MAX_SIZE = 256L << 20;
    /**
     * Where the pool goes when the device's range allows: away from 0, so a zero address in a ring
     * (an unset field) never lands in the pool.
     */
    static final long PREFERRED_IOVA_BASE = 0x4000_0000L;

    /** The plan for this device. */
    static PoolPlan of(VdpaDevice device) {
        long size = sizeFor(device);
        return new PoolPlan(size, iovaBase(device.getIovaRange(), size));
    }

    /** The pool size for a device's queues (see the class comment). */
    static long sizeFor(VdpaDevice device) {
        long offered = device.getDeviceFeatures();
        long packed = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
        long total = 0;
        for (int i = 0; i < device.vqCount(); i++) {
            int n = device.getVqSize(i);
            long ring = DriverQueue.poolBytes(n, offered & ~packed, DriverQueue.DEFAULT_INDIRECT_MAX);
            if ((offered & packed) != 0) {
                ring = Math.max(ring, DriverQueue.poolBytes(n, offered, DriverQueue.DEFAULT_INDIRECT_MAX));
            }
            total += ring + n * BUFFER_BYTES_PER_ENTRY;
            if (total >= MAX_SIZE) {
                return MAX_SIZE;
            }
        }
        long rounded = (total + GRANULE - 1) / GRANULE * GRANULE;
        return Math.clamp(rounded, MIN_SIZE, MAX_SIZE);
    }

    /**
     * The bus address for a pool of {@code size} bytes: {@link #PREFERRED_IOVA_BASE} if the range
     * holds it there, else the range's first page.
     *
     * @throws IllegalStateException if the range cannot hold the pool at all
     */
    static long iovaBase(IovaRange range, long size) {
        if (range.contains(PREFERRED_IOVA_BASE, size)) {
            return PREFERRED_IOVA_BASE;
        }
        long first = (range.first() + 0xfff) & ~0xfffL;
        if (Long.compareUnsigned(first, range.first()) >= 0 && range.contains(first, size)) {
            return first;
        }
        throw new IllegalStateException("the device's IOVA range 0x" + Long.toHexString(range.first()) + "..0x"
                + Long.toHexString(range.last()) + " cannot hold a DMA pool of " + size + " bytes");
    }
}
