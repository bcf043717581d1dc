package itest;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import virtio.net.api.NetDevice;

/**
 * Receives test frames on a NetDevice and checks each: every byte as sent, and per RX queue in
 * increasing sequence (frames of one TX queue stay in order on one RX queue).
 */
final class FrameCheck implements AutoCloseable {
    private final NetDevice dev;
    private final int max;
    private final AtomicLongArray last;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong problems = new AtomicLong();
    private volatile String firstProblem;

    FrameCheck(NetDevice dev, int queues) {
        this.dev = dev;
        this.max = dev.maxFrameLength();
        this.last = new AtomicLongArray(queues);
        for (int q = 0; q < queues; q++) {
            last.set(q, -1);
        }
        dev.setReceiveHandler(this::frame);
    }

    private void frame(int queue, MemorySegment frame) {
        long seq = Frames.seq(frame);
        String problem = seq < 0 ? "a frame that is not a test frame (" + frame.byteSize() + " bytes)" : Frames.problem(frame, seq, max);
        if (problem == null && seq <= last.get(queue)) {
            problem = "frame " + seq + " on queue " + queue + " after frame " + last.get(queue);
        }
        if (problem != null) {
            if (problems.getAndIncrement() == 0) {
                firstProblem = problem;
            }
            return;
        }
        last.set(queue, seq);
        received.incrementAndGet();
    }

    void awaitReceived(long count, Duration within) {
        Await.until(count + " frames received intact", () -> received.get() + " received, " + problems.get()
                + " bad; stats " + dev.stats(), () -> received.get() >= count || problems.get() > 0, within);
    }

    long received() {
        return received.get();
    }

    long problems() {
        return problems.get();
    }

    String firstProblem() {
        return firstProblem;
    }

    @Override
    public void close() {
        dev.setReceiveHandler(null);
    }
}
