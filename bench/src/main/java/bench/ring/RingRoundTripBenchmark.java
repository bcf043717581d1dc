package bench.ring;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * One thread, one buffer: driver add, kick decision, device pop (validating and translating every
 * descriptor), device push and publish used, notify decision, driver takes it back. The ring stays
 * empty between operations, as the queue does in {@code QueueRoundTripBenchmark.offerPoll}, the
 * yardstick. One operation is one buffer of two elements (64 device-readable and 64
 * device-writable bytes) in a queue of 256.
 *
 * <ul>
 *   <li>{@code descriptors=direct}: the buffer takes two ring descriptors; {@code indirect}: one
 *       ring descriptor pointing to a two-entry table (INDIRECT_DESC), which the device resolves too.</li>
 *   <li>{@code addressCheck}: the device side has no way to skip translation (every address goes
 *       through the {@link virtio.ring.AddressSpace}; that is the point of it), so the two cases are
 *       its cheapest and a costlier path. {@code false}: the pool is one mapping, so every lookup
 *       hits the resolver's last-hit cache (a range compare and a permission test).
 *       {@code true}: the pool is 16 mappings of 64 KiB, the rings in the first and the two
 *       elements in two others, so every lookup misses the cache and binary-searches the table.</li>
 * </ul>
 * Nothing is allocated per operation ({@code bench/run --gc}: about 0 B/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RingRoundTripBenchmark {

    @Param({"split", "packed"})
    public String layout;

    @Param({"direct", "indirect"})
    public String descriptors;

    @Param({"true", "false"})
    public boolean addressCheck;

    private RingFixture ring;
    private DriverQueue driver;
    private DeviceQueue device;

    @Setup
    public void setUp() {
        ring = new RingFixture("packed".equals(layout), "indirect".equals(descriptors), addressCheck ? 16 : 1);
        driver = ring.driver;
        device = ring.device;
    }

    @TearDown
    public void tearDown() {
        ring.close();
    }

    /** Returns the token taken back, so JMH keeps the whole trip alive. */
    @Benchmark
    public Object roundTrip() {
        DriverQueue driver = this.driver;
        DeviceQueue device = this.device;
        driver.add(ring.chain, RingFixture.TOKEN);
        driver.kickPrepare();
        DescriptorChain c = device.pop();
        device.pushUsed(c.id(), 1);
        device.publishUsed();
        device.needsNotify();
        return driver.pollUsed();
    }
}
