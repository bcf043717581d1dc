package virtio.net.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import virtio.net.api.FrameHandler;

/**
 * A frame monitor, after tcpdump {@code -e -c N}: as a NetDevice's tap it records the first
 * {@code count} frames received (arrival time, source and destination MAC, EtherType, length,
 * queue) into arrays sized up front, so the receive threads it runs on allocate nothing and wait
 * for nothing; the shell thread waits until they are full, the time is up, or it is cancelled, then
 * reads them.
 *
 * <p>Several queue pairs may call it at once: each frame claims a slot, fills it, then marks it
 * filled, and only filled slots are read.
 */
final class FrameMonitor implements FrameHandler {

    /** One recorded frame; {@code micros} since the epoch. */
    record Seen(long micros, long src, long dst, int ethertype, int length, int queue) {}

    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** How long reading waits for slots claimed but not yet filled by a receive thread. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final int capacity;
    private final long[] micros;
    private final long[] src;
    private final long[] dst;
    private final int[] ethertype;
    private final int[] length;
    private final int[] queue;
    private final AtomicIntegerArray filled;
    private final AtomicInteger claimed = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong seen;
    private final long wallMicros = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
    private final long startNanos = System.nanoTime();

    /**
     * @param count the most frames recorded
     * @param seen the device's counter of recorded frames, added to for each
     */
    FrameMonitor(int count, AtomicLong seen) {
        this.capacity = count;
        this.micros = new long[count];
        this.src = new long[count];
        this.dst = new long[count];
        this.ethertype = new int[count];
        this.length = new int[count];
        this.queue = new int[count];
        this.filled = new AtomicIntegerArray(count);
        this.seen = seen;
    }

    @Override
    public void frame(int q, MemorySegment frame) {
        if (claimed.get() >= capacity) {
            return; // full: the shell thread is about to remove the tap
        }
        int i = claimed.getAndIncrement();
        if (i >= capacity) {
            return;
        }
        micros[i] = wallMicros + (System.nanoTime() - startNanos) / 1_000;
        dst[i] = mac(frame, 0);
        src[i] = mac(frame, 6);
        ethertype[i] = frame.get(BE16, 12) & 0xffff;
        length[i] = (int) frame.byteSize();
        queue[i] = q;
        filled.set(i, 1); // volatile store: the slot's fields before the mark that says they are there
        seen.incrementAndGet();
        if (completed.incrementAndGet() == capacity) {
            finished.countDown();
        }
    }

    private static long mac(MemorySegment frame, long offset) {
        return (frame.get(BE32, offset) & 0xffff_ffffL) << 16 | (frame.get(BE16, offset + 4) & 0xffff);
    }

    /**
     * Waits until {@code count} frames are recorded, {@code timeout} has passed, the thread is
     * interrupted (Ctrl-C in the shell) or {@link #cancel()} is called; returns early in each case.
     */
    void await(Duration timeout) {
        try {
            finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // an interrupted capture shows what it has, like tcpdump on SIGINT
        }
    }

    /** Ends a wait at once (the device went away). */
    void cancel() {
        finished.countDown();
    }

    /**
     * The frames recorded, in the order they claimed their slots. Call after the tap is removed:
     * slots a receive thread claimed but has not filled yet are waited for a moment, then left out.
     */
    List<Seen> frames() {
        int n = Math.min(claimed.get(), capacity);
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (completed.get() < n && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        List<Seen> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (filled.get(i) == 1) { // volatile load: pairs with the store in frame()
                out.add(new Seen(micros[i], src[i], dst[i], ethertype[i], length[i], queue[i]));
            }
        }
        return out;
    }
}
