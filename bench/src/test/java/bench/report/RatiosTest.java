package bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import bench.report.RatioSpecs.RatioSpec;

/** Ratios from a JMH-shaped result file: pairing, units, missing benchmarks, unknown errors. */
class RatiosTest {
    private static List<JmhResult> results;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = RatiosTest.class.getResourceAsStream("sample-results.json")) {
            results = JmhResult.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static RatioSpec spec(String label) {
        return RatioSpecs.ALL.stream().filter(s -> s.label().equals(label)).findFirst().orElseThrow();
    }

    /** The lines of every spec with this label, in spec order. */
    private static List<Ratios.Line> all(List<JmhResult> run, String label) {
        return RatioSpecs.ALL.stream().filter(s -> s.label().equals(label))
                .flatMap(s -> Ratios.compute(run, s).stream()).toList();
    }

    private static String printed(Consumer<PrintStream> print) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        print.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A JMH result of a group whose rate is the secondary metric received, two forks' iterations. */
    private static String handoff(String name, String params, double rate, double min, double max) {
        return """
                {"benchmark": "bench.%s", "mode": "thrpt", "params": {%s},
                 "primaryMetric": {"score": 1.0, "scoreError": 0.0, "scoreUnit": "ops/s"},
                 "secondaryMetrics": {"received": {"score": %s, "scoreError": 0.0, "scoreUnit": "ops/s",
                                                   "rawData": [[%s, %s], [%s]]}}}
                """.formatted(name, params, rate, min, rate, max);
    }

    @Test
    void theRingAndTheJavaBareRingAreSetAgainstTheNativeFloorBatchByBatch() {
        List<JmhResult> run = new ArrayList<>(JmhResult.parse("[" + String.join(",",
                handoff("ring.RingThroughputBenchmark.handoff", "\"layout\": \"split\", \"batch\": \"1\"", 3e6, 2e6, 4e6),
                handoff("ring.RingThroughputBenchmark.handoff", "\"layout\": \"split\", \"batch\": \"32\"", 2e7, 1e7, 3e7),
                handoff("reference.BareRingHandoffBenchmark.handoff", "\"batch\": \"32\"", 3e7, 3e7, 3e7),
                handoff("reference.BareRingHandoffBenchmark.handoff", "\"batch\": \"1\"", 5e6, 5e6, 5e6)) + "]"));
        run.addAll(LineResults.parse("""
                result NativeBareRing.roundTrip queue=256 unit=ns/op samples=10,10
                result NativeBareRing.handoff batch=1 queue=256 unit=ops/s samples=5e6,7e6
                result NativeBareRing.handoff batch=32 queue=256 unit=ops/s samples=4e7,4e7
                result BareRingRoundTripBenchmark.roundTrip unit=ns/op samples=20
                """));
        run.addAll(results.stream().filter(r -> r.shortName().startsWith("RingRoundTrip")).toList());

        List<Ratios.Line> twoThread = new ArrayList<>(all(run, "ring split 2-thread rate / native bare ring 2-thread rate, batch 1"));
        twoThread.addAll(all(run, "ring split 2-thread rate / native bare ring 2-thread rate, batch 32"));
        assertThat(twoThread).extracting(Ratios.Line::ratio).containsExactly(0.5, 0.5);
        // batch 1 has no target, batch 32 must reach 0.7
        assertThat(twoThread.get(0).goal()).isNull();
        assertThat(twoThread.get(1).goal().met(0.5)).isFalse();
        // the spread: slowest ring over fastest floor, fastest ring over slowest floor
        assertThat(twoThread.get(0).low()).isCloseTo(2e6 / 7e6, within(1e-9));
        assertThat(twoThread.get(0).high()).isCloseTo(4e6 / 5e6, within(1e-9));
        assertThat(all(run, "Java bare ring 2-thread rate / native bare ring 2-thread rate"))
                .extracting(Ratios.Line::ratio).containsExactly(0.75, 5.0 / 6);
        assertThat(all(run, "ring split round trip / native bare ring round trip")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.goal().toString()).isEqualTo("<= 3.0"));
        assertThat(all(run, "Java bare ring round trip / native bare ring round trip")).singleElement()
                .satisfies(l -> assertThat(l.ratio()).isEqualTo(2.0));
        String out = printed(o -> Ratios.printRatios(run, RatioSpecs.ALL, o));
        assertThat(out).containsPattern("ring split 2-thread rate / native bare ring 2-thread rate, batch 1 +0\\.500 .*\\[0\\.286 \\.\\. 0\\.800\\]")
                .doesNotContainPattern("not computable.*ring split 2-thread rate / native");
    }

    @Test
    void theNativeFloorsQueueSizeMustBeTheRingBenchmarksOwn() {
        String ours = String.valueOf(bench.ring.RingFixture.QUEUE_SIZE);
        List<JmhResult> same = LineResults.parse("result NativeBareRing.roundTrip queue=" + ours + " unit=ns/op samples=1");
        List<JmhResult> other = LineResults.parse("result NativeBareRing.roundTrip queue=1024 unit=ns/op samples=1");

        assertThat(printed(o -> Ratios.checkQueueSize(same, o))).isEmpty();
        assertThat(printed(o -> Ratios.checkQueueSize(other, o))).contains("WARNING").contains("queue of 1024");
    }

    @Test
    void absoluteTargetsAreHeldAgainstTheirBoundInTheirUnit() {
        List<JmhResult> run = LineResults.parse("""
                result HotPlug.bundleStart stat=median unit=ms samples=4,5,6,30
                result Scale.bind devices=1000 unit=ms samples=2500,2600
                result Scale.threadsPerDevice devices=1000 unit=threads samples=2,2
                result Scale.heapPerDevice devices=1000 unit=B samples=100
                """);

        String out = printed(o -> Ratios.printLimits(run, RatioSpecs.LIMITS, o));

        assertThat(out).containsPattern("bundle start -> NetDevice registered, median +5\\.000 ms .*target <= 10.0 ms: met")
                .containsPattern("p99 +30\\.000 ms")
                .containsPattern("all NetDevices registered \\[devices=1000\\] +2,550 ms .*target <= 2000.0 ms: MISSED")
                .containsPattern("threads added per idle device \\[devices=1000\\] +2\\.000 threads .*MISSED")
                .contains("(in B, the target is in KiB)")
                .containsPattern("not in this run: .*configurations deleted");
        assertThat(printed(o -> Ratios.printLimits(List.of(), RatioSpecs.LIMITS, o))).isEmpty();
    }

    @Test
    void ringRoundTripIsDividedBySpscOfferPollWithUnitsNormalised() {
        List<Ratios.Line> lines = Ratios.compute(results, spec("ring split round trip / SPSC offer+poll"));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).label()).contains("descriptors=direct").doesNotContain("capacity");
        assertThat(lines.get(0).ratio()).isCloseTo(1.5, within(1e-9));
        // 10% and 10% relative error add in quadrature
        assertThat(lines.get(0).error()).isCloseTo(1.5 * Math.sqrt(0.02), within(1e-9));
        assertThat(lines.get(0).goal().met(lines.get(0).ratio())).isTrue();
        // 0.005 us/op is 5 ns/op
        assertThat(lines.get(1).ratio()).isCloseTo(2.5, within(1e-9));
        assertThat(lines.get(1).goal().met(lines.get(1).ratio())).isFalse();
    }

    @Test
    void handoffRatesArePairedByBatchSizeWhenTheDenominatorLeavesItOpen() {
        List<Ratios.Line> lines =
                Ratios.compute(results, spec("SPSC handoff rate / ArrayBlockingQueue handoff rate"));

        assertThat(lines).extracting(Ratios.Line::ratio).containsExactly(50.0, 80.0);
    }

    @Test
    void aBenchmarkIsNeverDividedByItself() {
        List<Ratios.Line> lines = Ratios.compute(results, spec("SPSC batched handoff rate / unbatched"));

        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.label()).contains("batch=32");
            assertThat(l.ratio()).isEqualTo(2.0);
        });
    }

    @Test
    void printsOnlyComputableRatiosAndNamesTheOthers() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Ratios.printRatios(results, RatioSpecs.ALL, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("ring split round trip / SPSC offer+poll [descriptors=direct]")
                .contains("target <= 2.0: met").contains("target <= 2.0: MISSED");
        // JMH writes a NaN error as the string "NaN": the ratio prints, its error is unknown
        assertThat(out).containsPattern("ArrayBlockingQueue / SPSC offer\\+poll +15\\.000 ± \\?");
        assertThat(out).containsPattern("not computable.*ring split 2-thread rate / SPSC handoff rate");
        assertThat(out).doesNotContain("ring split 2-thread rate / SPSC handoff rate [");
    }

    /** A JMH result of a group with one secondary rate. */
    private static String group(String name, String params, String metric, double rate) {
        return """
                {"benchmark": "bench.%s", "mode": "thrpt", "params": {%s},
                 "primaryMetric": {"score": 1.0, "scoreError": 0.0, "scoreUnit": "ops/s"},
                 "secondaryMetrics": {"%s": {"score": %s, "scoreError": 0.0, "scoreUnit": "ops/s"}}}
                """.formatted(name, params, metric, rate);
    }

    @Test
    void netDeviceRatesAreSetAgainstTheRingHandoffAndAgainstEachOtherLikeWithLike() {
        List<JmhResult> run = JmhResult.parse("[" + String.join(",",
                group("ring.RingThroughputBenchmark.handoff", "\"layout\": \"split\", \"batch\": \"1\"", "received", 4e6),
                group("ring.RingThroughputBenchmark.handoff", "\"layout\": \"split\", \"batch\": \"32\"", "received", 8e6),
                group("ring.RingThroughputBenchmark.handoff", "\"layout\": \"packed\", \"batch\": \"1\"", "received", 1e6),
                group("net.NetDeviceBenchmark.cable", "\"frameSize\": \"64\", \"pairs\": \"1\"", "received", 1e6),
                group("net.NetDeviceBenchmark.cable", "\"frameSize\": \"64\", \"pairs\": \"2\"", "received", 1.5e6),
                group("net.NetDeviceBenchmark.cable", "\"frameSize\": \"1500\", \"pairs\": \"1\"", "received", 0.5e6),
                group("net.NetDeviceBenchmark.cable", "\"frameSize\": \"1500\", \"pairs\": \"2\"", "received", 0.6e6))
                + "]");

        assertThat(Ratios.compute(run, spec("NetDevice frames/s / ring split handoff (batch 1)")))
                .extracting(Ratios.Line::ratio).containsExactly(0.25, 0.375, 0.125, 0.15);
        // issue 11's target is for one pair only
        assertThat(all(run, "NetDevice 64 B one pair frames/s / ring split handoff (batch 32)"))
                .singleElement().satisfies(l -> {
                    assertThat(l.ratio()).isEqualTo(0.125);
                    assertThat(l.goal()).isNotNull();
                });
        assertThat(all(run, "NetDevice 64 B two pairs frames/s / ring split handoff (batch 32)"))
                .singleElement().satisfies(l -> {
                    assertThat(l.ratio()).isEqualTo(0.1875);
                    assertThat(l.goal()).isNull();
                });
        assertThat(Ratios.compute(run, spec("NetDevice 1500 B / 64 B frames/s")))
                .extracting(Ratios.Line::ratio).containsExactly(0.5, 0.4);
        assertThat(Ratios.compute(run, spec("NetDevice 2 / 1 queue pairs frames/s")))
                .extracting(Ratios.Line::ratio).containsExactly(1.5, 1.2);
    }

    @Test
    void tableShowsAllocationPerOpWhenGcProfiled() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Ratios.printTable(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("alloc B/op").contains(":received");
    }
}
