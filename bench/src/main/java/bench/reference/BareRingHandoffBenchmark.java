package bench.reference;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import bench.ring.RingThroughputBenchmark;

/**
 * {@code RingThroughputBenchmark}'s two threads on a {@link BareSplitRing}: a driver thread that
 * takes back up to {@code batch} used buffers, then stages up to {@code batch} and publishes them
 * with one kick decision; a device thread that takes up to {@code batch} and returns them with one
 * publish and one notify decision. The counters are the ring benchmark's own; the score to read
 * is {@code received}, buffers completed per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Group)
public class BareRingHandoffBenchmark {

    @Param({"1", "32"})
    public int batch;

    private BareSplitRing ring;

    @Setup
    public void setUp() {
        ring = new BareSplitRing(BareRingRoundTripBenchmark.QUEUE_SIZE);
    }

    @TearDown
    public void tearDown() {
        ring.close();
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void driver(RingThroughputBenchmark.DriverCounters counters) {
        BareSplitRing.Driver driver = ring.driver();
        int max = batch;
        int got = 0;
        while (got < max && driver.poll() != null) {
            got++;
        }
        if (got == 0) {
            counters.driverEmpty++;
        } else {
            counters.received += got;
        }
        int added = 0;
        while (added < max && driver.stage(BareRingRoundTripBenchmark.READ_ADDR, 64,
                BareRingRoundTripBenchmark.WRITE_ADDR, 64, BareRingRoundTripBenchmark.TOKEN)) {
            added++;
        }
        if (added == 0) {
            counters.ringFull++;
        } else {
            driver.kickPrepare();
        }
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void device(RingThroughputBenchmark.DeviceCounters counters) {
        BareSplitRing.Device device = ring.device();
        int max = batch;
        int n = 0;
        for (int head; n < max && (head = device.pop()) >= 0; n++) {
            device.pushUsed(head, 1);
        }
        if (n == 0) {
            counters.deviceEmpty++;
            return;
        }
        device.publishUsed();
        device.needsNotify();
        counters.served += n;
    }
}
