package bench.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Control;
import virtio.net.api.Ethernet;
import virtio.net.api.FrameHandler;
import virtio.net.api.NetDevice;
import virtio.net.api.SendResult;

/**
 * Frames per second from one {@link NetDevice} to another across a simulated cable, through the
 * whole stack in a real Felix ({@link EmbeddedBusbar}): virtio-net TX, the virtio_vdpa bridge,
 * vdpa_sim's TX worker, the cable, the peer's RX worker filling posted RX buffers, virtio-net's RX
 * worker, the receive handler.
 *
 * <p>Per trial: a fresh framework, two devices {@code bench0}/{@code bench1} created by
 * Configuration Admin (factory PID {@code vdpa.sim.net}, {@code max_vqp} = {@link #pairs},
 * {@code link=cable:bench}), one frame sent and received on each queue before measuring.
 *
 * <p>Group {@code cable}, two JMH threads:
 * <ul>
 *   <li>{@code send}: one attempt per call to send a prebuilt frame of {@link #frameSize} bytes
 *       (destination MAC first, no FCS) on the next TX queue, round robin. {@code BUSY} (every TX
 *       slot in flight) is back-pressure: the call yields the CPU and the next call tries again, on
 *       the next queue as every call does (with one pair, the same queue); it is counted as
 *       {@code busy}, never as sent.</li>
 *   <li>{@code receive}: parks {@value #POLL_MILLIS} ms, then reads the counters the receive handler
 *       adds to on virtio-net's RX worker threads. Its {@code received} (frames) and
 *       {@code receivedBytes} are the counts over this thread's own measurement window (bounded by
 *       JMH's {@link Control#startMeasurement}/{@link Control#stopMeasurement}, to within one poll),
 *       so JMH's rate is frames actually delivered per second.</li>
 * </ul>
 * Read {@code :received}; the group's own score counts calls of both threads and means nothing.
 * Nothing is allocated per frame on the benchmark's side (the frame is built once; the handler
 * only adds to two {@link LongAdder}s).
 *
 * <p>Run it with one group (JMH's default {@code -t}): more groups would share the two devices
 * and each would report the total.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class NetDeviceBenchmark {

    static final String MAC0 = "52:54:00:be:00:00";
    static final String MAC1 = "52:54:00:be:00:01";
    static final String CABLE = "cable:bench";
    /** IEEE 802 local experimental EtherType 1: nobody else's protocol. */
    static final short ETHERTYPE = (short) Ethernet.ETH_P_802_EX1;
    static final long POLL_MILLIS = 1;
    private static final Duration BOOT_WAIT = Duration.ofSeconds(60);
    private static final Duration FIRST_FRAMES_WAIT = Duration.ofSeconds(20);

    /** Frame length handed to {@code send}: Ethernet header and payload, no FCS. */
    @Param({"64", "1500"})
    public int frameSize;

    /** Queue pairs of each device ({@code max_vqp}), all used by the sender round robin. */
    @Param({"1", "2"})
    public int pairs;

    /**
     * Frames per send call: 1 is {@link NetDevice#send(int, MemorySegment)}, one kick decision per
     * frame; more is the burst {@link NetDevice#send(int, MemorySegment[], int, int)}, one kick
     * decision per burst, as the ring benchmarks' batch.
     */
    @Param({"1", "32"})
    public int burst;

    private EmbeddedBusbar busbar;
    private Arena arena;
    NetDevice tx;
    NetDevice rx;
    MemorySegment frame;
    /** {@link #burst} times the same frame: what a burst send takes. */
    MemorySegment[] frames;
    final LongAdder receivedFrames = new LongAdder();
    final LongAdder receivedBytes = new LongAdder();
    final FrameHandler counter = (queue, f) -> {
        receivedFrames.increment();
        receivedBytes.add(f.byteSize());
    };

    @Setup(Level.Trial)
    public void boot() throws Exception {
        busbar = EmbeddedBusbar.start();
        try {
            busbar.createSimNet("bench0", MAC0, pairs, CABLE);
            busbar.createSimNet("bench1", MAC1, pairs, CABLE);
            NetDevice from = busbar.awaitNetDevice(MAC0, BOOT_WAIT);
            NetDevice to = busbar.awaitNetDevice(MAC1, BOOT_WAIT);
            arena = Arena.ofShared();
            connect(from, to, arena.allocate(frameSize, 64));
            primeEveryQueue();
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    /**
     * Points the benchmark at two devices and builds the frame in {@code buffer}; the receive
     * handler is set on {@code to}. Also used by the unit test with devices of its own.
     */
    void connect(NetDevice from, NetDevice to, MemorySegment buffer) {
        if (from.queuePairs() != pairs || to.queuePairs() != pairs) {
            throw new IllegalStateException("asked for " + pairs + " queue pairs, got " + from.queuePairs() + " and "
                    + to.queuePairs());
        }
        if (frameSize < 60 || frameSize > from.maxFrameLength()) {
            throw new IllegalStateException("frameSize " + frameSize + " outside 60.." + from.maxFrameLength());
        }
        tx = from;
        rx = to;
        frame = buildFrame(buffer, to.mac().octets(), from.mac().octets());
        frames = new MemorySegment[Math.max(1, burst)];
        java.util.Arrays.fill(frames, frame);
        receivedFrames.reset();
        receivedBytes.reset();
        rx.setReceiveHandler(counter);
    }

    /** One frame through each queue before measuring: the path is bound end to end or the trial fails. */
    void primeEveryQueue() {
        long deadline = System.nanoTime() + FIRST_FRAMES_WAIT.toNanos();
        for (int q = 0; q < pairs; q++) {
            SendResult r;
            while ((r = tx.send(q, frame)) == SendResult.BUSY && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(100_000);
            }
            if (r != SendResult.SENT) {
                throw new IllegalStateException("first frame on queue " + q + ": " + r);
            }
        }
        while (receivedFrames.sum() < pairs) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(receivedFrames.sum() + " of " + pairs + " first frames arrived within "
                        + FIRST_FRAMES_WAIT + "; tx " + tx.stats() + "; rx " + rx.stats());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private MemorySegment buildFrame(MemorySegment buf, byte[] dst, byte[] src) {
        MemorySegment f = buf.asSlice(0, frameSize);
        f.fill((byte) 0);
        MemorySegment.copy(dst, 0, f, ValueLayout.JAVA_BYTE, 0, 6);
        MemorySegment.copy(src, 0, f, ValueLayout.JAVA_BYTE, 6, 6);
        f.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 12, ETHERTYPE);
        for (int i = 14; i < frameSize; i++) {
            f.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        return f;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (rx != null) {
            rx.setReceiveHandler(null);
        }
        if (busbar != null) {
            busbar.close();
            busbar = null;
        }
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }

    /** The sender's counters, within the measurement window only. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class SendCounters {
        /** Frames the device took. */
        public long sent;
        /** Attempts refused with BUSY (full TX ring), retried. */
        public long busy;
        int queue;

        @Setup(Level.Iteration)
        public void reset() {
            sent = 0;
            busy = 0;
        }
    }

    /** Frames and bytes the receive handler saw during the receiving thread's measurement window. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class ReceiveCounters {
        public long received;
        public long receivedBytes;
        long baseFrames;
        long baseBytes;
        boolean armed;

        @Setup(Level.Iteration)
        public void reset() {
            received = 0;
            receivedBytes = 0;
            armed = false;
        }
    }

    /**
     * One attempt to send the frame (or a burst of it) on the next queue; BUSY, or a burst the ring
     * took only part of, yields, and the next call tries again.
     */
    @Benchmark
    @Group("cable")
    @GroupThreads(1)
    public void send(Control control, SendCounters c) {
        int q = c.queue;
        c.queue = q + 1 == pairs ? 0 : q + 1;
        boolean measuring = control.startMeasurement && !control.stopMeasurement;
        if (burst > 1) {
            int n = tx.send(q, frames, 0, burst);
            if (measuring) {
                c.sent += n;
            }
            if (n == burst) {
                return;
            }
            if (n == 0) {
                // nothing taken: the single send says why (and may take the frame after all)
                count(q, tx.send(q, frame), measuring, c);
                return;
            }
            if (measuring) {
                c.busy++;
            }
            Thread.yield();
            return;
        }
        count(q, tx.send(q, frame), measuring, c);
    }

    private static void count(int q, SendResult r, boolean measuring, SendCounters c) {
        if (r == SendResult.SENT) {
            if (measuring) {
                c.sent++;
            }
        } else if (r == SendResult.BUSY) {
            if (measuring) {
                c.busy++;
            }
            Thread.yield();
        } else {
            throw new IllegalStateException("send on queue " + q + ": " + r);
        }
    }

    /**
     * Sleeps one poll interval, then records the frames and bytes received since this thread's
     * measurement began (the base is taken on the last call before it began, or on the first call
     * of the iteration).
     */
    @Benchmark
    @Group("cable")
    @GroupThreads(1)
    public void receive(Control control, ReceiveCounters c) {
        LockSupport.parkNanos(POLL_MILLIS * 1_000_000);
        long frames = receivedFrames.sum();
        long bytes = receivedBytes.sum();
        if (!c.armed || !control.startMeasurement) {
            c.baseFrames = frames;
            c.baseBytes = bytes;
            c.armed = true;
        } else if (!control.stopMeasurement) {
            c.received = frames - c.baseFrames;
            c.receivedBytes = bytes - c.baseBytes;
        }
    }
}
