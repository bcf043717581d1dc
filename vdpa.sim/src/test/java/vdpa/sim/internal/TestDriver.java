package vdpa.sim.internal;

import static virtio.spec.VirtioNetHdr.VIRTIO_NET_HDR_NUM_BUFFERS;
import static virtio.spec.VirtioNetHdr.VIRTIO_NET_HDR_SIZE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import vdpa.bus.IotlbMapping;
import vdpa.bus.IotlbPermission;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaFeatures;
import virtio.net.api.MacAddress;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/**
 * The honest other side for device tests: a virtio-net driver over the ring core's real
 * {@link DriverQueue}s, in a {@link DmaPool} it maps into the device with dma_map, programming
 * the device as the virtio_vdpa bridge does (features, then per queue num, address, callback,
 * ready, then DRIVER_OK). Single-threaded: the test thread drives it; callbacks only count.
 */
public final class TestDriver implements AutoCloseable {

    public static final long IOVA = 0x1_0000_0000L;
    public static final long BASE = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1)
            | VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_ACCESS_PLATFORM) | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC)
            | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MTU) | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_STATUS)
            | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_CTRL_VQ) | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_CTRL_RX)
            | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR) | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MQ);
    public static final long MRG = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MRG_RXBUF);
    public static final long PACKED = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
    public static final long EVENT_IDX = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_EVENT_IDX);
    public static final long WAIT_NANOS = 20_000_000_000L;
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A received frame and how many buffers it spanned. */
    public record Frame(byte[] bytes, int numBuffers) {}

    public final VdpaDevice dev;
    public final long features;
    final DmaPool pool = DmaPool.create(16 << 20, IOVA);
    public final DriverQueue[] queues;
    public final AtomicInteger[] interrupts;
    public final AtomicInteger configChanges = new AtomicInteger();
    /** N, the queue pairs of the negotiated layout (5.1.2). */
    public final int pairs;
    private final int maxVirtqueuePairs;
    private final BufferChain chain = new BufferChain(8);
    /**
     * Kick only when the device asks for it ({@link DriverQueue#kickPrepare}), as a real driver
     * does; by default every add is kicked.
     */
    public boolean kickOnlyWhenAsked;

    /** Negotiates {@code features} and sets up every queue of the layout with size {@code size}. */
    public TestDriver(VdpaDevice dev, long features, int size) {
        this.dev = dev;
        this.features = features;
        ((vdpa.bus.VdpaDmaMapOps) dev).dmaMap(0, new IotlbMapping(IOVA, pool.size(), IOVA, IotlbPermission.RW, pool.segment()));
        negotiate();
        byte[] max = dev.getConfig(VirtioNet.VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS, 2);
        this.maxVirtqueuePairs = (max[0] & 0xff) | (max[1] & 0xff) << 8;
        this.pairs = VirtioNet.queuePairs(features, maxVirtqueuePairs);
        int n = VirtioNet.queueCount(features, maxVirtqueuePairs);
        queues = new DriverQueue[n];
        interrupts = new AtomicInteger[n];
        for (int i = 0; i < n; i++) {
            DriverQueue q = DriverQueue.create(pool, size, features);
            queues[i] = q;
            interrupts[i] = new AtomicInteger();
            AtomicInteger count = interrupts[i];
            dev.setVqNum(i, size);
            dev.setVqAddress(i, q.descAddress(), q.driverAddress(), q.deviceAddress());
            dev.setVqCb(i, count::incrementAndGet);
            dev.setVqReady(i, true);
        }
        dev.setConfigCb(configChanges::incrementAndGet);
        dev.setStatus(dev.getStatus() | DeviceStatus.DRIVER_OK.value());
    }

    private void negotiate() {
        if (!VdpaFeatures.negotiate(dev, features)) {
            throw new IllegalStateException("device refused features 0x" + Long.toHexString(features));
        }
    }

    public int ctrl() {
        return VirtioNet.controlQueue(features, maxVirtqueuePairs);
    }

    /** Posts {@code count} receive buffers of {@code bytes} each on RX pair {@code pair}. */
    public void postRx(int pair, int count, int bytes) {
        DriverQueue q = queues[VirtioNet.receiveQueue(pair)];
        for (int i = 0; i < count; i++) {
            DmaBuffer b = pool.allocate(bytes, 8);
            if (!q.add(chain.clear().writable(b), b)) {
                throw new IllegalStateException("rx ring full");
            }
        }
        kick(q, VirtioNet.receiveQueue(pair));
    }

    /** Sends a frame on TX pair {@code pair}: the header in its own descriptor, the frame split in two. */
    public void send(int pair, byte[] frame) {
        if (!trySend(pair, frame)) {
            throw new IllegalStateException("tx ring full");
        }
    }

    /** As {@link #send}, but false (nothing sent) when the TX ring is full: the device's back-pressure. */
    public boolean trySend(int pair, byte[] frame) {
        DmaBuffer hdr = pool.allocate(VIRTIO_NET_HDR_SIZE, 8);
        int half = frame.length / 2;
        DmaBuffer a = pool.allocate(Math.max(1, half), 8);
        DmaBuffer b = pool.allocate(frame.length - half, 8);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, a.segment(), 0, half);
        MemorySegment.copy(MemorySegment.ofArray(frame), half, b.segment(), 0, frame.length - half);
        chain.clear().readable(hdr);
        if (half > 0) {
            chain.readable(a);
        }
        chain.readable(b);
        if (!queues[VirtioNet.transmitQueue(pair)].add(chain, new DmaBuffer[] {hdr, a, b})) {
            pool.free(hdr);
            pool.free(a);
            pool.free(b);
            return false;
        }
        kick(queues[VirtioNet.transmitQueue(pair)], VirtioNet.transmitQueue(pair));
        return true;
    }

    private void kick(DriverQueue q, int idx) {
        if (!kickOnlyWhenAsked || q.kickPrepare()) {
            dev.kickVq(idx);
        }
    }

    /** Frees the TX buffers that came back on pair {@code pair}; returns how many chains. Does not wait. */
    public int reapTx(int pair) {
        DriverQueue q = queues[VirtioNet.transmitQueue(pair)];
        int n = 0;
        Object t;
        while ((t = q.pollUsed()) != null) {
            for (DmaBuffer b : (DmaBuffer[]) t) {
                pool.free(b);
            }
            n++;
        }
        return n;
    }

    /** The frames that have arrived on RX pair {@code pair}, reassembling mergeable ones. Does not wait. */
    public List<Frame> poll(int pair) {
        List<Frame> frames = new ArrayList<>();
        Frame f;
        while ((f = pollFrame(queues[VirtioNet.receiveQueue(pair)])) != null) {
            frames.add(f);
        }
        return frames;
    }

    /** Waits until {@code n} TX buffers of pair {@code pair} came back, freeing them. */
    public void awaitTx(int pair, int n) {
        DriverQueue q = queues[VirtioNet.transmitQueue(pair)];
        int[] got = {0};
        await(() -> {
            Object t;
            while ((t = q.pollUsed()) != null) {
                for (DmaBuffer b : (DmaBuffer[]) t) {
                    pool.free(b);
                }
                got[0]++;
            }
            return got[0] >= n;
        }, n + " tx buffers back on pair " + pair);
    }

    /** Waits for {@code n} frames on RX pair {@code pair}, reassembling mergeable ones. */
    public List<Frame> receive(int pair, int n) {
        DriverQueue q = queues[VirtioNet.receiveQueue(pair)];
        List<Frame> frames = new ArrayList<>();
        await(() -> {
            while (frames.size() < n) {
                Frame f = pollFrame(q);
                if (f == null) {
                    return false;
                }
                frames.add(f);
            }
            return true;
        }, n + " frames on rx pair " + pair);
        return frames;
    }

    /** The next whole frame, or null; the buffers of a mergeable one are published together. */
    private Frame pollFrame(DriverQueue q) {
        Object t = q.pollUsed();
        if (t == null) {
            return null;
        }
        DmaBuffer first = (DmaBuffer) t;
        int len = q.lastUsedLength();
        int num = first.segment().get(LE16, VIRTIO_NET_HDR_NUM_BUFFERS) & 0xffff;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(first.segment().asSlice(VIRTIO_NET_HDR_SIZE, len - VIRTIO_NET_HDR_SIZE).toArray(ValueLayout.JAVA_BYTE));
        pool.free(first);
        for (int i = 1; i < num; i++) {
            Object more;
            long deadline = System.nanoTime() + WAIT_NANOS;
            while ((more = q.pollUsed()) == null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("mergeable frame incomplete");
                }
                Thread.onSpinWait();
            }
            DmaBuffer b = (DmaBuffer) more;
            out.writeBytes(b.segment().asSlice(0, q.lastUsedLength()).toArray(ValueLayout.JAVA_BYTE));
            pool.free(b);
        }
        return new Frame(out.toByteArray(), num);
    }

    /** Runs one control command and returns the ack (or -1 if the device wrote no ack). */
    public int control(int cls, int cmd, byte... data) {
        DriverQueue q = queues[ctrl()];
        DmaBuffer in = pool.allocate(2 + data.length, 8);
        in.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) cls);
        in.segment().set(ValueLayout.JAVA_BYTE, 1, (byte) cmd);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, in.segment(), 2, data.length);
        DmaBuffer ack = pool.allocate(1, 8);
        ack.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 0x55);
        q.add(chain.clear().readable(in).writable(ack), ack);
        dev.kickVq(ctrl());
        int[] len = {-2};
        await(() -> {
            if (q.pollUsed() == null) {
                return false;
            }
            len[0] = q.lastUsedLength();
            return true;
        }, "control ack");
        int v = len[0] == 1 ? ack.segment().get(ValueLayout.JAVA_BYTE, 0) & 0xff : -1;
        pool.free(in);
        pool.free(ack);
        return v;
    }

    /** Polls {@code done} until true, at most {@link #WAIT_NANOS}. */
    public static void await(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /**
     * Runs {@code step} (which returns how much it moved) until {@code done}; fails only if nothing
     * moves for {@link #WAIT_NANOS}, so a long transfer is bounded by progress, not by a clock.
     */
    public static void pump(java.util.function.IntSupplier step, BooleanSupplier done, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (step.getAsInt() > 0) {
                deadline = System.nanoTime() + WAIT_NANOS;
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("no progress for " + WAIT_NANOS / 1_000_000_000 + " s: " + what.get());
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** A frame of {@code length} bytes to {@code dst} from {@code src}, its payload numbered by {@code seq}. */
    public static byte[] frame(long dst, long src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(new MacAddress(dst).octets(), 0, f, 0, 6);
        System.arraycopy(new MacAddress(src).octets(), 0, f, 6, 6);
        f[12] = 0x08;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (i < 18 ? seq >>> (8 * (17 - i)) : i * 31 + seq);
        }
        return f;
    }

    @Override
    public void close() {
        dev.reset();
        // mappings outlive a reset: unmap before the memory goes
        ((vdpa.bus.VdpaDmaMapOps) dev).dmaUnmap(0, IOVA, pool.size());
        pool.close();
    }
}
