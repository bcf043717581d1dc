package bench.reference;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import bench.ring.RingFixture;

/**
 * {@code RingRoundTripBenchmark}'s operation on a {@link BareSplitRing}: the same queue size, the
 * same two-element buffer, the same sequence of calls, none of the checks. The difference between
 * the two is what virtio.ring's validation, translation and bookkeeping cost; this one against
 * {@code QueueRoundTripBenchmark} is what the ring format costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class BareRingRoundTripBenchmark {

    /** The ring benchmarks' own, so the ratios compare like with like. */
    static final int QUEUE_SIZE = RingFixture.QUEUE_SIZE;
    static final Object TOKEN = RingFixture.TOKEN;
    /** Where the buffer's two elements would be; the bare device never dereferences them. */
    static final long READ_ADDR = 0x4005_0080L;
    static final long WRITE_ADDR = 0x400b_0100L;

    private BareSplitRing ring;
    private BareSplitRing.Driver driver;
    private BareSplitRing.Device device;

    @Setup
    public void setUp() {
        ring = new BareSplitRing(QUEUE_SIZE);
        driver = ring.driver();
        device = ring.device();
    }

    @TearDown
    public void tearDown() {
        ring.close();
    }

    /** Returns the token taken back, so JMH keeps the whole trip alive. */
    @Benchmark
    public Object roundTrip() {
        BareSplitRing.Driver driver = this.driver;
        BareSplitRing.Device device = this.device;
        driver.stage(READ_ADDR, 64, WRITE_ADDR, 64, TOKEN);
        driver.kickPrepare();
        int head = device.pop();
        device.pushUsed(head, 1);
        device.publishUsed();
        device.needsNotify();
        return driver.poll();
    }
}
