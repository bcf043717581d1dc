package bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading JMH's result file: its fields, its quoted non-finite numbers, and text that is not one. */
class JmhResultTest {

    @Test
    void readsNamesParamsScoresAndQuotedNonFiniteErrors() {
        List<JmhResult> r = JmhResult.parse("""
                [{"benchmark": "bench.ring.RingRoundTripBenchmark.roundTrip", "mode": "thrpt",
                  "params": {"layout": "split", "batch": 32},
                  "primaryMetric": {"score": 1.5e6, "scoreError": "NaN", "scoreUnit": "ops/s"},
                  "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 0, "scoreError": "Infinity", "scoreUnit": "B/op"}}}]
                """);
        JmhResult b = r.getFirst();
        assertThat(b.shortName()).isEqualTo("RingRoundTripBenchmark.roundTrip");
        assertThat(b.mode()).isEqualTo("thrpt");
        assertThat(b.params()).containsExactly(java.util.Map.entry("layout", "split"), java.util.Map.entry("batch", "32"));
        assertThat(b.primary().score()).isEqualTo(1.5e6);
        assertThat(b.primary().error()).isNaN();
        assertThat(b.metric("gc.alloc.rate.norm").error()).isInfinite();
    }

    @Test
    void refusesTruncatedTextAndAnythingButAnArrayOfBenchmarks() {
        assertThatIllegalArgumentException().isThrownBy(() -> JmhResult.parse("[1, 2")).withMessageStartingWith("not a JMH JSON result file");
        assertThatIllegalArgumentException().isThrownBy(() -> JmhResult.parse("{\"a\": 1}")).withMessageContaining("array of benchmarks");
        assertThatIllegalArgumentException().isThrownBy(() -> JmhResult.parse("[1]")).withMessageContaining("benchmark is an object");
        assertThatIllegalArgumentException().isThrownBy(() -> JmhResult.parse("[{\"benchmark\": \"a.B.c\", \"primaryMetric\": 3}]"))
                .withMessageContaining("metric is an object");
    }
}
