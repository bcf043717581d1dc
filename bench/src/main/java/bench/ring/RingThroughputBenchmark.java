package bench.ring;

import java.util.concurrent.TimeUnit;

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
import virtio.ring.DescriptorChain;
import virtio.ring.DeviceQueue;
import virtio.ring.DriverQueue;

/**
 * Two threads, one queue of 256: a driver thread offers buffers and takes used ones back, a device
 * thread takes available buffers and returns them used, both polling (no notifications are
 * delivered; the kick and interrupt decisions are still made). The score to read is
 * {@code received}: buffers the driver took back per second, each one a full trip there and back.
 * {@code ringFull}, {@code driverEmpty} and {@code deviceEmpty} count calls that found nothing to do.
 *
 * <p>With {@code batch > 1} each call handles up to that many buffers with one avail publish and
 * one kick decision (driver: {@code stage}s, then {@code kickPrepare}) or one used publish and one
 * notify decision (device), as the spec allows. Every
 * call is bounded and never blocks, so either thread can stop at any point of an iteration.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Group)
public class RingThroughputBenchmark {

    @Param({"split", "packed"})
    public String layout;

    @Param({"1", "32"})
    public int batch;

    private RingFixture ring;

    @Setup
    public void setUp() {
        ring = new RingFixture("packed".equals(layout), false, 1);
    }

    @TearDown
    public void tearDown() {
        ring.close();
    }

    /** The driver thread's counters; {@code received} is the rate of buffers completed. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class DriverCounters {
        public long received;
        public long ringFull;
        public long driverEmpty;

        @Setup(Level.Iteration)
        public void reset() {
            received = 0;
            ringFull = 0;
            driverEmpty = 0;
        }
    }

    /** The device thread's counters. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class DeviceCounters {
        public long served;
        public long deviceEmpty;

        @Setup(Level.Iteration)
        public void reset() {
            served = 0;
            deviceEmpty = 0;
        }
    }

    /** Takes back up to {@code batch} used buffers, then stages up to {@code batch}, publishes them and decides on one kick. */
    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void driver(DriverCounters counters) {
        DriverQueue driver = ring.driver;
        int max = batch;
        int got = 0;
        while (got < max && driver.pollUsed() != null) {
            got++;
        }
        if (got == 0) {
            counters.driverEmpty++;
        } else {
            counters.received += got;
        }
        int added = 0;
        while (added < max && driver.stage(ring.chain, RingFixture.TOKEN)) {
            added++;
        }
        if (added == 0) {
            counters.ringFull++;
        } else {
            driver.kickPrepare();
        }
    }

    /** Takes up to {@code batch} available buffers and returns them with one publish. */
    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void device(DeviceCounters counters) {
        DeviceQueue device = ring.device;
        int max = batch;
        int n = 0;
        for (DescriptorChain c; n < max && (c = device.pop()) != null; n++) {
            device.pushUsed(c.id(), 1);
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
