package bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
        assertThat(Ratios.compute(run, spec("NetDevice frames/s / ring split handoff (batch 32)")))
                .extracting(Ratios.Line::ratio).containsExactly(0.125, 0.1875);
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
