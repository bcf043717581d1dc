package vdpa.sim.internal;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
import virtio.ring.DescriptorChain;

/**
 * A device's receive FIFO for one RX queue: a bounded ring of frame slots between the sending
 * worker (producer: the peer's, or this device's own on loopback) and this device's worker
 * (consumer). The frame is copied once, from the sender's TX buffers into a slot; the consumer
 * copies it from there into RX buffers.
 *
 * <p>Producers are serialized by a lock, because a relink can briefly leave two senders; the
 * consumer is whoever holds the device lock. {@code tail} and {@code head} are volatile: a
 * slot's bytes and length are written before the tail store that publishes them, and read after
 * the tail load that sees it; a slot is reused only after the head store that frees it.
 * Slot buffers grow (rarely) to the largest frame seen and are never shrunk, so a warm FIFO
 * allocates nothing per frame.
 *
 * <p><b>Back-pressure.</b> A full FIFO refuses; it never drops. A producer asks
 * {@link #roomOrWait} before it takes a frame off its TX ring; if there is no room, its wake-up is
 * registered and the consumer runs it ({@link #wakeWaiter}) after it frees a slot or discards.
 * One waiter is kept: a FIFO has one sender except briefly during a relink, and a relink wakes
 * the moved sender itself.
 */
final class FrameFifo {

    /** Slots per FIFO. */
    static final int CAPACITY = 256;
    private static final int MIN_SLOT = 2048;

    private final MemorySegment[] slots = new MemorySegment[CAPACITY];
    private final int[] lengths = new int[CAPACITY];
    private final Object producerLock = new Object();
    /** Next slot the consumer reads; written by the consumer only. */
    private volatile long head;
    /** Next slot a producer fills; written under {@link #producerLock} only. */
    private volatile long tail;
    /** The wake-up of a producer that found the FIFO full, or null. */
    private final AtomicReference<Runnable> waiter = new AtomicReference<>();

    /**
     * Whether a frame fits now; if not, registers {@code wake} to be run once the consumer frees a
     * slot. Producer side.
     */
    boolean roomOrWait(Runnable wake) {
        if (hasRoom()) {
            return true;
        }
        // volatile store, then hasRoom's volatile load of head: either we see the consumer's release,
        // or the consumer, which stores head before it loads the waiter, sees us (no lost wake-up)
        waiter.set(wake);
        return hasRoom();
    }

    private boolean hasRoom() {
        return tail - head < CAPACITY;
    }

    /** Runs the registered wake-up, if any, once; consumer side, after {@link #release()} or {@link #clear()}. */
    void wakeWaiter() {
        // volatile load, after the head store that made room (see roomOrWait)
        if (waiter.get() != null) {
            Runnable w = waiter.getAndSet(null);
            if (w != null) {
                w.run();
            }
        }
    }

    /**
     * Copies {@code length} readable bytes of {@code chain}, starting at {@code from}, into a
     * free slot and publishes it.
     *
     * @return false if the FIFO is full (nothing was copied)
     */
    boolean offer(DescriptorChain chain, long from, int length) {
        synchronized (producerLock) {
            long t = tail;
            // volatile read of head: the consumer finished with slot t - CAPACITY before it advanced head past it
            if (t - head >= CAPACITY) {
                return false;
            }
            int i = (int) (t & (CAPACITY - 1));
            MemorySegment s = slot(i, length);
            chain.copyFromReadable(from, s, 0, length);
            lengths[i] = length;
            // volatile write: publishes the slot's bytes and length to the consumer
            tail = t + 1;
            return true;
        }
    }

    /**
     * As {@link #offer(DescriptorChain, long, int)}, from the first {@code length} bytes of a
     * segment: a frame a link read into a buffer of its own (a TAP's).
     */
    boolean offer(MemorySegment frame, int length) {
        synchronized (producerLock) {
            long t = tail;
            if (t - head >= CAPACITY) {
                return false;
            }
            int i = (int) (t & (CAPACITY - 1));
            MemorySegment.copy(frame, 0, slot(i, length), 0, length);
            lengths[i] = length;
            tail = t + 1;
            return true;
        }
    }

    private MemorySegment slot(int i, int length) {
        MemorySegment s = slots[i];
        if (s == null || s.byteSize() < length) {
            // the rare growth: a frame longer than any this slot held before
            s = MemorySegment.ofArray(new byte[(length + MIN_SLOT - 1) / MIN_SLOT * MIN_SLOT + (length == 0 ? MIN_SLOT : 0)]);
            slots[i] = s;
        }
        return s;
    }

    /** Whether a frame is waiting; consumer only. */
    boolean isEmpty() {
        return head == tail;
    }

    /** Length of the oldest frame, or -1 if none; consumer only. */
    int peekLength() {
        long h = head;
        // volatile read of tail: makes the slot's bytes and length visible
        if (h == tail) {
            return -1;
        }
        return lengths[(int) (h & (CAPACITY - 1))];
    }

    /** The slot holding the oldest frame (its first {@link #peekLength()} bytes); after a successful peek only. */
    MemorySegment peekSegment() {
        return slots[(int) (head & (CAPACITY - 1))];
    }

    /** Frees the oldest frame's slot; consumer only. */
    void release() {
        // volatile write: the producer may reuse the slot only after we are done reading it
        head = head + 1;
    }

    /** Frees every waiting frame; consumer only. Returns how many there were. */
    int clear() {
        long t = tail;
        int n = (int) (t - head);
        head = t;
        return n;
    }
}
