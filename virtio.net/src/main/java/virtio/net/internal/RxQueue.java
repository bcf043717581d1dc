package virtio.net.internal;

import static virtio.net.api.Ethernet.ETH_HLEN;
import static virtio.spec.VirtioNetHdr.VIRTIO_NET_HDR_NUM_BUFFERS;
import static virtio.spec.VirtioNetHdr.VIRTIO_NET_HDR_SIZE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import virtio.bus.VirtioDevice;
import virtio.net.api.DropReason;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;

/**
 * One receiveq (spec 5.1.6.3-4): every ring entry holds a preallocated device-writable buffer, and
 * each buffer goes back to the ring as soon as its bytes are delivered or copied, so the ring
 * stays full. Without VIRTIO_NET_F_MRG_RXBUF a buffer holds header and the largest frame; with it,
 * buffers are smaller and a frame spans {@code num_buffers} of them, reassembled into a scratch
 * buffer (a frame in one buffer is handed out without a copy).
 *
 * <p>Touched only by the pair's worker once probe is done (and by probe and teardown before and
 * after it runs), as the ring core requires one thread per queue side.
 */
final class RxQueue {

    /** Where a completed frame goes: the receive handler or the backlog. */
    interface Sink {
        void deliver(MemorySegment frame);
    }

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final VirtioDevice device;
    private final int index;
    private final DriverQueue vq;
    private final DmaPool pool;
    private final DmaBuffer slab;
    private final int bufSize;
    private final boolean mergeable;
    private final int maxFrame;
    private final Counters counters;
    private final Integer[] tokens;
    private final BufferChain chain = new BufferChain(1);
    private final MemorySegment scratch;

    /** Buffers still to come of the frame being reassembled; 0 between frames. */
    private int mergeLeft;
    private int mergeLength;
    /** Set by {@link #release}: used buffers are counted, not re-posted, and the device is not kicked. */
    private boolean releasing;

    /**
     * @param bufSize bytes per buffer, header included
     * @param maxFrame the longest frame delivered; longer ones are length errors
     */
    RxQueue(VirtioDevice device, int index, DriverQueue vq, DmaPool pool, int bufSize, boolean mergeable, int maxFrame,
            Counters counters) {
        this.device = device;
        this.index = index;
        this.vq = vq;
        this.pool = pool;
        this.bufSize = bufSize;
        this.mergeable = mergeable;
        this.maxFrame = maxFrame;
        this.counters = counters;
        int n = vq.size();
        this.slab = pool.allocate((long) bufSize * n, 64);
        this.tokens = new Integer[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = i;
        }
        this.scratch = mergeable ? MemorySegment.ofArray(new byte[maxFrame]) : null;
    }

    int index() {
        return index;
    }

    /** Posts every buffer (probe, before DRIVER_OK: no kick yet). */
    void fill() {
        for (int i = 0; i < tokens.length; i++) {
            post(i);
        }
    }

    /** Publishes the buffers posted since the last kick and notifies the device if it asked to be told. */
    void kick() {
        if (vq.kickPrepare()) {
            device.notifyQueue(index);
        }
    }

    /**
     * Takes up to {@code budget} frames from the used ring, hands each to {@code sink} (or counts
     * it as a length error), re-posts their buffers and kicks once.
     *
     * @return frames completed (delivered or dropped); {@code budget} means there may be more
     */
    int process(int budget, Sink sink) {
        int frames = 0;
        boolean posted = false;
        while (frames < budget) {
            Object token = vq.pollUsed();
            if (token == null) {
                break;
            }
            int id = (Integer) token;
            int len = vq.lastUsedLength();
            if (mergeLeft == 0) {
                frames += first(id, len, sink);
            } else {
                frames += next(id, len, sink);
            }
            if (!releasing) {
                post(id);
                posted = true;
            }
        }
        if (posted) {
            kick();
        }
        return frames;
    }

    /** A buffer that starts a frame: header, then data. Returns 1 if the frame completed. */
    private int first(int id, int len, Sink sink) {
        if (len < VIRTIO_NET_HDR_SIZE) {
            counters.drop(DropReason.RX_LENGTH_ERROR);
            return 1;
        }
        MemorySegment mem = slab.segment();
        long off = (long) id * bufSize;
        int numBuffers = mergeable ? mem.get(LE16, off + VIRTIO_NET_HDR_NUM_BUFFERS) & 0xffff : 1;
        int frameLen = len - VIRTIO_NET_HDR_SIZE;
        if (numBuffers == 1) {
            complete(mem.asSlice(off + VIRTIO_NET_HDR_SIZE, frameLen), sink);
            return 1;
        }
        if (numBuffers == 0 || numBuffers > tokens.length) {
            // the kernel's "too many buffers" rx_length_error: nothing sane to reassemble
            counters.drop(DropReason.RX_LENGTH_ERROR);
            return 1;
        }
        mergeLeft = numBuffers - 1;
        mergeLength = 0;
        append(mem, off + VIRTIO_NET_HDR_SIZE, frameLen);
        return 0;
    }

    /** A continuation buffer of a merged frame: all data. Returns 1 if the frame completed. */
    private int next(int id, int len, Sink sink) {
        append(slab.segment(), (long) id * bufSize, len);
        if (--mergeLeft > 0) {
            return 0;
        }
        if (mergeLength > maxFrame) {
            counters.drop(DropReason.RX_LENGTH_ERROR);
        } else {
            complete(scratch.asSlice(0, mergeLength), sink);
        }
        return 1;
    }

    private void append(MemorySegment mem, long off, int len) {
        // past the limit keep counting, stop copying: the frame is dropped when it completes
        if (mergeLength + (long) len <= maxFrame) {
            MemorySegment.copy(mem, off, scratch, mergeLength, len);
        }
        mergeLength = (int) Math.min(Integer.MAX_VALUE, (long) mergeLength + len);
    }

    private void complete(MemorySegment frame, Sink sink) {
        long len = frame.byteSize();
        if (len < ETH_HLEN || len > maxFrame) {
            counters.drop(DropReason.RX_LENGTH_ERROR);
            return;
        }
        sink.deliver(frame);
    }

    /** Stages buffer {@code id}; the device sees the batch at the next {@link #kick}, one index store for all. */
    private void post(int id) {
        chain.clear().writable(slab.iova() + (long) id * bufSize, bufSize);
        // cannot fail for room: the buffer's own entry was just freed; a broken ring refuses, and stays broken
        vq.stage(chain, tokens[id]);
    }

    void disableCallbacks() {
        vq.disableCallbacks();
    }

    /** @return true if used buffers are already pending */
    boolean enableCallbacks() {
        return vq.enableCallbacks();
    }

    /**
     * After the device reset: frames the device completed but the worker never took count as
     * {@link DropReason#RX_ABORTED}; then every buffer comes back and ring and buffers return to
     * the pool. Nothing is posted or kicked any more.
     */
    void release() {
        releasing = true;
        process(Integer.MAX_VALUE, frame -> counters.drop(DropReason.RX_ABORTED));
        if (mergeLeft > 0) {
            counters.drop(DropReason.RX_ABORTED); // a frame whose last buffers never came
            mergeLeft = 0;
        }
        while (vq.detachUnused() != null) {
            // posted buffers hold no frame: nothing to count
        }
        vq.close();
        pool.free(slab);
    }
}
