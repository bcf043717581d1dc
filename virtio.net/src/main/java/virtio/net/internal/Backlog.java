package virtio.net.internal;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;
import virtio.net.api.DropReason;
import virtio.net.api.FrameHandler;

/**
 * Frames of one queue waiting for {@code NetDevice.poll} (the kernel's per-CPU backlog): a ring of
 * fixed slots of the largest frame, filled by the pair's worker (one producer) and emptied by
 * pollers (any threads, one at a time under {@link #consumer}). A full backlog drops the newest
 * frame and counts it. The slots are allocated on first use, so a device used only through a
 * receive handler costs nothing here.
 *
 * <p>Single producer, serialized consumers: {@code tail} is written only by the producer and
 * {@code head} only under the consumer lock, each published with a volatile write after the slot
 * work it covers, so neither side ever sees a slot the other is still using.
 */
final class Backlog {

    private final int depth;
    private final int slotSize;
    private final int queue;
    private final Counters counters;
    private final ReentrantLock consumer = new ReentrantLock();
    private MemorySegment slots;
    private final int[] lengths;
    private volatile long head;
    private volatile long tail;
    private volatile boolean closed;

    Backlog(int queue, int depth, int slotSize, Counters counters) {
        this.queue = queue;
        this.depth = depth;
        this.slotSize = slotSize;
        this.counters = counters;
        this.lengths = new int[depth];
    }

    /** Producer: copies the frame into the next slot, or counts a drop if the backlog is full. */
    void offer(MemorySegment frame) {
        long t = tail;
        // volatile read of head: the consumer is done with every slot below it
        if (closed || t - head >= depth) {
            counters.drop(DropReason.RX_BACKLOG_FULL);
            return;
        }
        if (slots == null) {
            slots = MemorySegment.ofArray(new byte[depth * slotSize]);
        }
        int i = (int) (t % depth);
        MemorySegment.copy(frame, 0, slots, (long) i * slotSize, frame.byteSize());
        lengths[i] = (int) frame.byteSize();
        // volatile write: the slot's bytes and length are visible before the consumer sees it
        tail = t + 1;
    }

    /** Consumer: hands up to {@code budget} frames to {@code handler}, oldest first. */
    int poll(FrameHandler handler, int budget) {
        consumer.lock();
        try {
            int n = 0;
            while (n < budget && !closed) {
                long h = head;
                // volatile read of tail: the slots below it are filled
                if (h == tail) {
                    break;
                }
                int i = (int) (h % depth);
                int len = lengths[i];
                MemorySegment frame = slots.asSlice((long) i * slotSize, len).asReadOnly();
                try {
                    handler.frame(queue, frame);
                    counters.received(len);
                } catch (RuntimeException | Error e) {
                    counters.drop(DropReason.RX_HANDLER_ERROR);
                }
                // volatile write: the slot is free again only after the handler returned
                head = h + 1;
                n++;
            }
            return n;
        } finally {
            consumer.unlock();
        }
    }

    /** After the producer stopped: counts the frames still waiting as {@link DropReason#RX_ABORTED}. */
    void close() {
        consumer.lock();
        try {
            closed = true;
            counters.drop(DropReason.RX_ABORTED, tail - head);
            head = tail;
            slots = null;
        } finally {
            consumer.unlock();
        }
    }
}
