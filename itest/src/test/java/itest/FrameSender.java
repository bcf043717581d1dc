package itest;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDevice;
import virtio.net.api.SendResult;

/** Sends numbered test frames, queue by sequence number, and honours back-pressure by retrying. */
final class FrameSender {
    private final NetDevice dev;
    private final MacAddress dst;
    private final int queues;
    private final MemorySegment buf = Arena.ofAuto().allocate(65536);
    private final AtomicLong next = new AtomicLong();

    FrameSender(NetDevice dev, MacAddress dst, int queues) {
        this.dev = dev;
        this.dst = dst;
        this.queues = queues;
    }

    /** Sends {@code count} frames, retrying BUSY; fails if they are not all taken before the deadline. */
    long send(long count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (long i = 0; i < count; i++) {
            SendResult r;
            while ((r = sendNext()) == SendResult.BUSY) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("device still busy after " + within + "; sent " + i + " of " + count
                            + "; stats " + dev.stats());
                }
                LockSupport.parkNanos(20_000);
            }
            if (r != SendResult.SENT) {
                throw new AssertionError("frame " + (next.get() - 1) + " refused: " + r);
            }
        }
        return count;
    }

    /** One attempt at the next frame; on SENT the sequence moves on. */
    private SendResult sendNext() {
        long seq = next.get();
        MemorySegment frame = Frames.write(buf, dst, dev.mac(), seq, Frames.length(seq, dev.maxFrameLength()));
        SendResult r = dev.send((int) (seq % queues), frame);
        if (r == SendResult.SENT) {
            next.incrementAndGet();
        }
        return r;
    }

    /** Sends on a thread of its own until stopped or the device goes down. */
    Background background() {
        return new Background();
    }

    final class Background implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;
        private volatile Throwable failure;

        Background() {
            thread = Thread.ofPlatform().name("itest-sender").start(() -> {
                try {
                    while (!stop) {
                        SendResult r = sendNext();
                        if (r == SendResult.BUSY) {
                            LockSupport.parkNanos(20_000);
                        } else if (r != SendResult.SENT) {
                            return; // the device went down under us: a clean end, not a failure
                        }
                    }
                } catch (Throwable t) {
                    failure = t;
                }
            });
        }

        long sent() {
            return next.get();
        }

        Throwable failure() {
            return failure;
        }

        void stop() throws InterruptedException {
            stop = true;
            if (!thread.join(Duration.ofSeconds(10))) {
                throw new AssertionError("sender did not stop");
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
