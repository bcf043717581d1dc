package virtio.ring;

import java.lang.foreign.MemorySegment;
import virtio.spec.VirtioFeatures;

/**
 * A driver side and a device side over the same memory: a DMA pool mapped read-write into the
 * device's address space at {@link #IOVA_BASE}.
 */
final class Rig implements AutoCloseable {

    static final long IOVA_BASE = 0x4000_0000L;

    final long features;
    final DmaPool pool;
    final AddressSpace space = new AddressSpace();
    final DriverQueue driver;
    final DeviceQueue device;

    private Rig(int size, long features, int indirectMax, long dataBytes) {
        this.features = features;
        long ringBytes = 32L * size * (indirectMax + 2) + 65536;
        this.pool = DmaPool.create(ringBytes + dataBytes, IOVA_BASE);
        pool.mapInto(space, AddressSpace.READ_WRITE);
        this.driver = DriverQueue.create(pool, size, features, indirectMax, new RingErrorCounter("test-driver"));
        this.device = DeviceQueue.open(space, size, features, driver.descAddress(), driver.driverAddress(),
                driver.deviceAddress(), VirtqueueState.initial(features), new RingErrorCounter("test-device"));
    }

    static Rig split(int size, int... featureBits) {
        return new Rig(size, bits(featureBits), Math.min(size, 16), 1 << 20);
    }

    static Rig packed(int size, int... featureBits) {
        return new Rig(size, bits(featureBits) | VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED),
                Math.min(size, 16), 1 << 20);
    }

    static Rig of(int size, long features, int indirectMax, long dataBytes) {
        return new Rig(size, features, indirectMax, dataBytes);
    }

    static long bits(int... featureBits) {
        long f = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
        for (int b : featureBits) {
            f |= VirtioFeatures.bit(b);
        }
        return f;
    }

    /** A zeroed DMA buffer of {@code length} bytes. */
    DmaBuffer buffer(int length) {
        return pool.allocate(length, 8);
    }

    /** A DMA buffer holding {@code text}. */
    DmaBuffer text(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DmaBuffer d = buffer(b.length);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, d.segment(), 0, b.length);
        return d;
    }

    /** Pool memory at a bus address, as the driver sees it. */
    MemorySegment at(long iova, long length) {
        return pool.segment().asSlice(iova - IOVA_BASE, length);
    }

    /** A device that takes over from {@link #device} at {@code state}. */
    DeviceQueue reopen(VirtqueueState state) {
        return DeviceQueue.open(space, driver.size(), features, driver.descAddress(), driver.driverAddress(),
                driver.deviceAddress(), state, new RingErrorCounter("test-device-2"));
    }

    static String readAll(DescriptorChain c) {
        byte[] out = new byte[(int) c.readableBytes()];
        c.copyFromReadable(0, MemorySegment.ofArray(out), 0, out.length);
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }

    static long write(DescriptorChain c, String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return c.copyToWritable(0, MemorySegment.ofArray(b), 0, b.length);
    }

    static String string(DmaBuffer b, int length) {
        return new String(b.segment().asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        pool.close();
    }
}
