package vhost.uapi.internal.session;

import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MQ;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_OK;

import java.lang.System.Logger.Level;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;
import vdpa.bus.IotlbMapping;
import vdpa.bus.IotlbPermission;
import vdpa.bus.VdpaDevice;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;

/**
 * The device's control queue, driven by the bridge for a net front-end that keeps its own (QEMU,
 * DPDK): such a front-end says how many queue pairs it uses only by enabling their rings, so the
 * bridge tells the device with VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, and frames are received on every
 * pair the front-end enabled, not on pair 0 alone. The queue and its buffers live in a small pool
 * of the bridge's own memory, mapped into the device at {@link #IOVA}, far above any front-end's
 * guest-physical memory (a region that reaches it is refused).
 */
final class ShadowControl implements AutoCloseable {

    /** Where the pool sits in the device's address space. */
    static final long IOVA = 0xffff_ff00_0000_0000L;
    static final long SIZE = 64 << 10;
    private static final int QUEUE_SIZE = 16;
    private static final long WAIT_NANOS = 2_000_000_000L;
    private static final System.Logger LOG = System.getLogger("vhost.uapi");

    private final String name;
    private final VdpaDevice device;
    private final int index;
    private final DmaPool pool = DmaPool.create(SIZE, IOVA);
    private final DriverQueue queue;
    private final DmaBuffer command;
    private final DmaBuffer ack;
    private final BufferChain chain = new BufferChain(2);
    private int pairs = 1;
    private boolean started;

    /** A control queue at ring {@code index} of {@code device}, laid out for {@code features}. */
    ShadowControl(String name, VdpaDevice device, int index, long features) {
        this.name = name;
        this.device = device;
        this.index = index;
        this.queue = DriverQueue.create(pool, QUEUE_SIZE, features);
        this.command = pool.allocate(4, 8);
        this.ack = pool.allocate(1, 8);
    }

    /** The pool as a device mapping: add it to every map the device is given. */
    IotlbMapping mapping() {
        return new IotlbMapping(IOVA, SIZE, pool.segment().address(), IotlbPermission.RW, pool.segment());
    }

    /** Makes the queue ready; the device must already map the pool. */
    void start() {
        device.setVqNum(index, QUEUE_SIZE);
        device.setVqAddress(index, queue.descAddress(), queue.driverAddress(), queue.deviceAddress());
        device.setVqReady(index, true);
        started = true;
    }

    boolean started() {
        return started;
    }

    /**
     * Has the device receive on {@code wanted} pairs (at least 1) if it does not already; call
     * when the device is at DRIVER_OK. Waits (bounded) for the device's answer.
     */
    void setPairs(int wanted) {
        int n = Math.max(1, wanted);
        if (n == pairs) {
            return;
        }
        command.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) VIRTIO_NET_CTRL_MQ);
        command.segment().set(ValueLayout.JAVA_BYTE, 1, (byte) VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
        command.segment().set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2, (short) n);
        ack.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 0xff);
        if (!queue.add(chain.clear().readable(command).writable(ack), ack)) {
            LOG.log(Level.WARNING, "vhost {0}: the control queue is full; receiving on {1} pairs", name, pairs);
            return;
        }
        device.kickVq(index);
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (queue.pollUsed() == null) {
            if (System.nanoTime() > deadline) {
                LOG.log(Level.WARNING, "vhost {0}: the device did not answer VQ_PAIRS_SET {1}", name, n);
                return;
            }
            LockSupport.parkNanos(20_000);
        }
        if ((ack.segment().get(ValueLayout.JAVA_BYTE, 0) & 0xff) == VIRTIO_NET_OK) {
            pairs = n;
        } else {
            LOG.log(Level.WARNING, "vhost {0}: the device refused VQ_PAIRS_SET {1}", name, n);
        }
    }

    /** The pairs the device receives on. */
    int pairs() {
        return pairs;
    }

    /** Frees the pool; the device must be reset and no longer map it. */
    @Override
    public void close() {
        pool.close();
    }
}
