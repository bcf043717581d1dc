package virtio.net.internal;

import static virtio.net.api.Ethernet.ETH_HLEN;
import static virtio.spec.VirtioNetHdr.VIRTIO_NET_HDR_SIZE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.ReentrantLock;
import virtio.bus.VirtioDevice;
import virtio.net.api.DropReason;
import virtio.net.api.SendResult;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;

/**
 * One transmitq (spec 5.1.6.2): a preallocated slot per ring entry, each holding a zeroed
 * 12-byte virtio_net_hdr followed by the frame, offered as one device-readable descriptor. A slot
 * returns to the free stack when the device uses it, so sending allocates nothing.
 *
 * <p>Everything that touches the ring runs under {@link #lock}: senders on any thread, the pair's
 * worker reclaiming used slots, and teardown. The kick happens under the lock too, so once
 * {@link #shutdown} returns no thread of ours notifies the device again.
 */
final class TxQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final VirtioDevice device;
    private final int index;
    private final DriverQueue vq;
    private final DmaPool pool;
    private final DmaBuffer slab;
    private final int slotSize;
    private final int maxFrame;
    private final Counters counters;
    private final int[] free;
    private final int[] frameLength;
    private final Integer[] tokens;
    private final BufferChain chain = new BufferChain(1);
    private int freeCount;
    private boolean closed;

    /**
     * @param maxFrame the longest frame accepted (MTU plus Ethernet header)
     */
    TxQueue(VirtioDevice device, int index, DriverQueue vq, DmaPool pool, int maxFrame, Counters counters) {
        this.device = device;
        this.index = index;
        this.vq = vq;
        this.pool = pool;
        this.maxFrame = maxFrame;
        this.counters = counters;
        int slots = vq.size();
        // 64-byte slots keep each header on its own cache line start
        this.slotSize = (VIRTIO_NET_HDR_SIZE + maxFrame + 63) & ~63;
        this.slab = pool.allocate((long) slotSize * slots, 64);
        this.free = new int[slots];
        this.frameLength = new int[slots];
        this.tokens = new Integer[slots];
        for (int i = 0; i < slots; i++) {
            tokens[i] = i;
            free[i] = slots - 1 - i;
        }
        this.freeCount = slots;
    }

    int index() {
        return index;
    }

    /** Copies the frame into a free slot and offers it; never blocks on the device. */
    SendResult send(MemorySegment frame) {
        lock.lock();
        try {
            SendResult r = stage(frame);
            if (r == SendResult.SENT) {
                kick();
            }
            return r;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Offers {@code frames[from..from+count)} in order until one is not taken, with one kick
     * decision for all of them (one avail publish, one look at the device's notification flags).
     *
     * @return how many were taken
     */
    int send(MemorySegment[] frames, int from, int count) {
        lock.lock();
        try {
            int n = 0;
            while (n < count && stage(frames[from + n]) == SendResult.SENT) {
                n++;
            }
            if (n > 0) {
                kick();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the frame into a free slot, staged (seen by the device at the next kick decision). */
    private SendResult stage(MemorySegment frame) {
        long len = frame.byteSize();
        if (len < ETH_HLEN || len > maxFrame) {
            counters.txInvalid.increment();
            return SendResult.INVALID_LENGTH;
        }
        if (closed || vq.isBroken()) {
            return SendResult.DOWN;
        }
        if (freeCount == 0) {
            reclaimLocked();
            if (freeCount == 0) {
                counters.txBusy.increment();
                return SendResult.BUSY;
            }
        }
        int slot = free[--freeCount];
        long off = (long) slot * slotSize;
        MemorySegment mem = slab.segment();
        // no offloads: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset, num_buffers all 0 (5.1.6.2)
        mem.set(ValueLayout.JAVA_LONG_UNALIGNED, off, 0L);
        mem.set(ValueLayout.JAVA_INT_UNALIGNED, off + 8, 0);
        MemorySegment.copy(frame, 0, mem, off + VIRTIO_NET_HDR_SIZE, len);
        frameLength[slot] = (int) len;
        chain.clear().readable(slab.iova() + off, VIRTIO_NET_HDR_SIZE + (int) len);
        if (!vq.stage(chain, tokens[slot])) {
            free[freeCount++] = slot;
            if (vq.isBroken()) {
                return SendResult.DOWN;
            }
            counters.txBusy.increment();
            return SendResult.BUSY;
        }
        return SendResult.SENT;
    }

    /** Under the lock: publishes what was staged and notifies the device if it asked to be told. */
    private void kick() {
        if (vq.kickPrepare()) {
            device.notifyQueue(index);
        }
    }

    /** Takes back used slots and counts their frames as sent. Called by the pair's worker. */
    void reclaim() {
        lock.lock();
        try {
            if (!closed) {
                reclaimLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    private void reclaimLocked() {
        Object token;
        while ((token = vq.pollUsed()) != null) {
            int slot = (Integer) token;
            counters.sent(frameLength[slot]);
            free[freeCount++] = slot;
        }
    }

    void disableCallbacks() {
        lock.lock();
        try {
            if (!closed) {
                vq.disableCallbacks();
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return true if used buffers are already pending */
    boolean enableCallbacks() {
        lock.lock();
        try {
            return !closed && vq.enableCallbacks();
        } finally {
            lock.unlock();
        }
    }

    /** Slots the device holds now. */
    int inFlight() {
        lock.lock();
        try {
            return free.length - freeCount;
        } finally {
            lock.unlock();
        }
    }

    /** Stops sending: waits for a send in progress, after which nothing touches the ring but {@link #release}. */
    void shutdown() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * After the device reset: counts what the device had used as sent and what it had not as
     * {@link DropReason#TX_ABORTED}, then returns ring and slots to the pool.
     */
    void release() {
        lock.lock();
        try {
            closed = true;
            reclaimLocked();
            long aborted = 0;
            while (vq.detachUnused() != null) {
                aborted++;
            }
            counters.drop(DropReason.TX_ABORTED, aborted);
            vq.close();
            pool.free(slab);
        } finally {
            lock.unlock();
        }
    }
}
