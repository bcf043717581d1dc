package virtio.vdpa.internal;

import vdpa.bus.IovaRange;
import vdpa.bus.VdpaDevice;

/**
 * How big a device's DMA pool is and where the device sees it.
 *
 * <p>The kernel allocates rings and buffers one at a time through the DMA API; here a class driver
 * carves them from one pool mapped once, so the pool must hold everything a driver of this device
 * can reasonably post: per virtqueue of size n, the ring (a split ring is the larger layout:
 * 16n + 6 + 2n + 6 + 8n bytes, plus alignment slack for its three areas), an indirect table per
 * entry (the ring core's default of 16 descriptors, 256 bytes) and one 2 KiB buffer per entry (a
 * full Ethernet frame with its virtio-net header). The sum is rounded up to 1 MiB and kept
 * between {@link #MIN_SIZE} and {@link #MAX_SIZE}; a device with huge queues gets the maximum and
 * its driver posts fewer or smaller buffers.
 *
 * @param size pool size in bytes
 * @param iovaBase the bus address of the pool's first byte, inside the device's IOVA range
 */
record PoolPlan(long size, long iovaBase) {

    /** Bytes of buffer per ring entry: one MTU-sized frame and its header. */
    static final long BUFFER_BYTES_PER_ENTRY = 2048;
    /** Bytes of indirect table per ring entry: 16 descriptors of 16 bytes. */
    static final long INDIRECT_BYTES_PER_ENTRY = 16 * 16;
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
        long align = Math.max(device.getVqAlign(), 16);
        long total = 0;
        for (int i = 0; i < device.vqCount(); i++) {
            long n = device.getVqSize(i);
            long ring = 16 * n + 6 + 2 * n + 6 + 8 * n + 3 * align;
            total += ring + n * (INDIRECT_BYTES_PER_ENTRY + BUFFER_BYTES_PER_ENTRY);
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
