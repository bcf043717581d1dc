package bench.report;

import java.util.List;
import java.util.Map;

/**
 * The ratios {@code bench/run} prints, with the targets of issues 3 and 11 where they set one, and
 * issue 11's absolute targets ({@link #LIMITS}).
 *
 * <p>The ring benchmarks are named here before they exist; a ring benchmark takes part by using
 * these names:
 * <ul>
 *   <li>{@code RingRoundTripBenchmark.roundTrip}, average time per descriptor (ns/op), with
 *       {@code @Param layout} {@code split|packed} (other parameters, e.g. {@code descriptors}
 *       {@code direct|indirect} and {@code addressCheck} {@code true|false}, each give their own
 *       line);</li>
 *   <li>{@code RingThroughputBenchmark.handoff}, a JMH group with a consumer-side
 *       {@code @AuxCounters} field {@code received} counting used buffers taken back per second,
 *       with {@code @Param layout} and optionally {@code batch}.</li>
 *   <li>{@code NetDeviceBenchmark.cable} (issue 4), a JMH group whose receiving thread's
 *       {@code @AuxCounters} {@code received} and {@code receivedBytes} count frames and bytes the
 *       receive handler got per second, with {@code @Param frameSize} and {@code pairs}.</li>
 * </ul>
 * To add a ratio, add a {@link RatioSpec} to {@link #ALL}; a spec whose benchmarks are absent from a
 * run is listed as skipped.
 */
final class RatioSpecs {
    private RatioSpecs() {
    }

    private static final Side SPSC_ROUND_TRIP =
            new Side("QueueRoundTripBenchmark.offerPoll", Map.of("queue", "SpscArrayQueue"), null);
    private static final Side SPSC_HANDOFF =
            new Side("QueueHandoffBenchmark.handoff", Map.of("queue", "SpscArrayQueue", "batch", "1"), "received");
    private static final Side BARE_ROUND_TRIP = new Side("BareRingRoundTripBenchmark.roundTrip", Map.of(), null);
    private static final Side BARE_HANDOFF = new Side("BareRingHandoffBenchmark.handoff", Map.of(), "received");
    /** The native floor (bench/native/bare_ring.c): BareSplitRing's memory traffic in C. */
    private static final Side NATIVE_ROUND_TRIP = new Side("NativeBareRing.roundTrip", Map.of(), null);
    private static final Side NATIVE_HANDOFF = new Side("NativeBareRing.handoff", Map.of(), null);
    private static final String RING_ROUND_TRIP = "RingRoundTripBenchmark.roundTrip";
    private static final String RING_HANDOFF = "RingThroughputBenchmark.handoff";
    /** Frames delivered per second NetDevice to NetDevice; the selector's params narrow it. */
    private static final String NET = "NetDeviceBenchmark.cable";

    static final List<RatioSpec> ALL = List.of(
            new RatioSpec("ring split round trip / SPSC offer+poll",
                    new Side("RingRoundTripBenchmark.roundTrip", Map.of("layout", "split"), null),
                    SPSC_ROUND_TRIP, Goal.atMost(2.0)),
            new RatioSpec("ring packed round trip / SPSC offer+poll",
                    new Side("RingRoundTripBenchmark.roundTrip", Map.of("layout", "packed"), null),
                    SPSC_ROUND_TRIP, null),
            new RatioSpec("ring split 2-thread rate / SPSC handoff rate",
                    new Side("RingThroughputBenchmark.handoff", Map.of("layout", "split"), "received"),
                    SPSC_HANDOFF, Goal.atLeast(0.5)),
            new RatioSpec("ring packed 2-thread rate / SPSC handoff rate",
                    new Side("RingThroughputBenchmark.handoff", Map.of("layout", "packed"), "received"),
                    SPSC_HANDOFF, null),
            // The split ring format with nothing else (BareSplitRing): what the format costs against
            // a reference handoff, and what virtio.ring's checks and bookkeeping cost on top of it.
            new RatioSpec("bare split ring round trip / SPSC offer+poll", BARE_ROUND_TRIP, SPSC_ROUND_TRIP, null),
            new RatioSpec("ring split round trip / bare split ring round trip",
                    new Side("RingRoundTripBenchmark.roundTrip", Map.of("layout", "split", "descriptors", "direct"), null),
                    BARE_ROUND_TRIP, null),
            new RatioSpec("bare split ring 2-thread rate / SPSC handoff rate", BARE_HANDOFF, SPSC_HANDOFF, null),
            // Denominator leaves batch open: each batch size is paired with the same batch size.
            new RatioSpec("ring split 2-thread rate / bare split ring 2-thread rate",
                    new Side("RingThroughputBenchmark.handoff", Map.of("layout", "split"), "received"),
                    BARE_HANDOFF, null),
            // Issue 11: the ring and the Java bare ring against the native floor of the same traffic.
            new RatioSpec("ring split round trip / native bare ring round trip",
                    new Side(RING_ROUND_TRIP, Map.of("layout", "split", "descriptors", "direct"), null),
                    NATIVE_ROUND_TRIP, Goal.atMost(3.0)),
            new RatioSpec("Java bare ring round trip / native bare ring round trip", BARE_ROUND_TRIP,
                    NATIVE_ROUND_TRIP, null),
            new RatioSpec("ring split 2-thread rate / native bare ring 2-thread rate, batch 1",
                    new Side(RING_HANDOFF, Map.of("layout", "split", "batch", "1"), "received"),
                    new Side("NativeBareRing.handoff", Map.of("batch", "1"), null), null),
            new RatioSpec("ring split 2-thread rate / native bare ring 2-thread rate, batch 32",
                    new Side(RING_HANDOFF, Map.of("layout", "split", "batch", "32"), "received"),
                    new Side("NativeBareRing.handoff", Map.of("batch", "32"), null), Goal.atLeast(0.7)),
            // Denominator leaves batch open: each batch size is paired with the same batch size.
            new RatioSpec("Java bare ring 2-thread rate / native bare ring 2-thread rate", BARE_HANDOFF,
                    NATIVE_HANDOFF, null),
            new RatioSpec("ArrayBlockingQueue / SPSC offer+poll",
                    new Side("QueueRoundTripBenchmark.offerPoll", Map.of("queue", "ArrayBlockingQueue"), null),
                    SPSC_ROUND_TRIP, null),
            // Denominator leaves batch open: each batch size is paired with the same batch size.
            new RatioSpec("SPSC handoff rate / ArrayBlockingQueue handoff rate",
                    new Side("QueueHandoffBenchmark.handoff", Map.of("queue", "SpscArrayQueue"), "received"),
                    new Side("QueueHandoffBenchmark.handoff", Map.of("queue", "ArrayBlockingQueue"), "received"),
                    null),
            new RatioSpec("SPSC batched handoff rate / unbatched",
                    new Side("QueueHandoffBenchmark.handoff", Map.of("queue", "SpscArrayQueue"), "received"),
                    SPSC_HANDOFF, null),
            // Issue 4: the whole stack across the cable against the bare ring it is built on. Every
            // NetDevice result gets a line against the unbatched handoff (one kick decision per
            // buffer, as send makes); the 64-byte ones also against batch 32.
            new RatioSpec("NetDevice frames/s / ring split handoff (batch 1)",
                    new Side(NET, Map.of(), "received"),
                    new Side("RingThroughputBenchmark.handoff", Map.of("layout", "split", "batch", "1"), "received"),
                    null),
            new RatioSpec("NetDevice 64 B one pair frames/s / ring split handoff (batch 32)",
                    new Side(NET, Map.of("frameSize", "64", "pairs", "1"), "received"),
                    new Side(RING_HANDOFF, Map.of("layout", "split", "batch", "32"), "received"),
                    Goal.atLeast(0.3)),
            new RatioSpec("NetDevice 64 B two pairs frames/s / ring split handoff (batch 32)",
                    new Side(NET, Map.of("frameSize", "64", "pairs", "2"), "received"),
                    new Side(RING_HANDOFF, Map.of("layout", "split", "batch", "32"), "received"),
                    null),
            // Denominators leave the other parameter open: each line compares like with like.
            new RatioSpec("NetDevice 1500 B / 64 B frames/s",
                    new Side(NET, Map.of("frameSize", "1500"), "received"),
                    new Side(NET, Map.of("frameSize", "64"), "received"), null),
            new RatioSpec("NetDevice 1500 B / 64 B bytes/s",
                    new Side(NET, Map.of("frameSize", "1500"), "receivedBytes"),
                    new Side(NET, Map.of("frameSize", "64"), "receivedBytes"), null),
            new RatioSpec("NetDevice 2 / 1 queue pairs frames/s",
                    new Side(NET, Map.of("pairs", "2"), "received"),
                    new Side(NET, Map.of("pairs", "1"), "received"), null));

    /**
     * Issue 11's absolute targets, for the harnesses that measure time to a state rather than a
     * rate (bench.hotplug): median bundle start to NetDevice, 1,000 devices bound, threads per idle
     * device.
     */
    static final List<Limit> LIMITS = List.of(
            new Limit("driver bundle start -> NetDevice registered, median",
                    new Side("HotPlug.bundleStart", Map.of(), null), "ms", Goal.atMost(10)),
            new Limit("driver bundle start -> NetDevice registered, p99",
                    new Side("HotPlug.bundleStart", Map.of(), "p99"), "ms", null),
            new Limit("devices created from configurations -> all NetDevices registered",
                    new Side("Scale.bind", Map.of("devices", "1000"), null), "ms", Goal.atMost(2000)),
            new Limit("configurations deleted -> all NetDevices and devices gone",
                    new Side("Scale.remove", Map.of("devices", "1000"), null), "ms", null),
            new Limit("threads added per idle device",
                    new Side("Scale.threadsPerDevice", Map.of(), null), "threads", Goal.atMost(0.01)),
            new Limit("heap per device after GC",
                    new Side("Scale.heapPerDevice", Map.of(), null), "KiB", null),
            new Limit("resident memory per device",
                    new Side("Scale.residentPerDevice", Map.of(), null), "KiB", null));

    /**
     * One side of a ratio: the benchmark's {@code Class.method} (or group), the parameter values it
     * must have, and the metric ({@code null} for the primary score, else a secondary metric name).
     */
    record Side(String benchmark, Map<String, String> params, String metric) {
        boolean matches(JmhResult r) {
            return r.shortName().equals(benchmark)
                    && params.entrySet().stream().allMatch(e -> e.getValue().equals(r.params().get(e.getKey())))
                    && r.metric(metric) != null;
        }
    }

    /** A bound the ratio should respect; only reported, never enforced (the machine is noisy). */
    record Goal(boolean atMost, double bound) {
        static Goal atMost(double bound) {
            return new Goal(true, bound);
        }

        static Goal atLeast(double bound) {
            return new Goal(false, bound);
        }

        boolean met(double ratio) {
            return atMost ? ratio <= bound : ratio >= bound;
        }

        @Override
        public String toString() {
            return (atMost ? "<= " : ">= ") + bound;
        }
    }

    /** numerator / denominator, with an optional target. */
    record RatioSpec(String label, Side numerator, Side denominator, Goal goal) {
    }

    /** A measured value held against a bound in {@code unit} (a result in another unit is not compared). */
    record Limit(String label, Side side, String unit, Goal goal) {
    }
}
