package bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The one-line result format of the harnesses outside JMH: fields, pooling, statistics, refusals. */
class LineResultsTest {

    @Test
    void aResultLineBecomesAResultWithItsParamsUnitAndTheMeanOfItsSamples() {
        List<JmhResult> r = LineResults.parse("""
                # bare_ring: built with gcc -O2
                result NativeBareRing.handoff batch=32 queue=256 unit=ops/s samples=4e7,5e7,6e7
                # verified handoff batch=32
                """);

        assertThat(r).singleElement().satisfies(x -> {
            assertThat(x.shortName()).isEqualTo("NativeBareRing.handoff");
            assertThat(x.mode()).isEqualTo("thrpt");
            assertThat(x.params()).containsExactly(Map.entry("batch", "32"), Map.entry("queue", "256"));
            assertThat(x.primary().unit()).isEqualTo("ops/s");
            assertThat(x.primary().score()).isCloseTo(5e7, within(1e-3));
            assertThat(x.primary().min()).isEqualTo(4e7);
            assertThat(x.primary().max()).isEqualTo(6e7);
        });
    }

    @Test
    void theErrorIsJmhsHalfWidthOfTheStudentT999PercentInterval() {
        // samples 1..5: mean 3, sample stdev sqrt(2.5); t(4 degrees, 0.9995) = 8.6103
        JmhResult r = LineResults.parse("result A.b unit=ns/op samples=1,2,3,4,5").getFirst();

        assertThat(r.mode()).isEqualTo("avgt");
        assertThat(r.primary().error()).isCloseTo(8.6103 * Math.sqrt(2.5) / Math.sqrt(5), within(1e-3));
        assertThat(LineResults.parse("result A.b unit=ns/op samples=7").getFirst().primary().error()).isNaN();
    }

    @Test
    void linesOfTheSameBenchmarkAndParamsArePooledLikeForks() {
        List<JmhResult> r = LineResults.parse("""
                result NativeBareRing.roundTrip queue=256 unit=ns/op samples=10,12
                result NativeBareRing.handoff batch=1 queue=256 unit=ops/s samples=1e6
                result NativeBareRing.roundTrip queue=256 unit=ns/op samples=14
                """);

        assertThat(r).hasSize(2);
        assertThat(r.getFirst().primary().score()).isCloseTo(12, within(1e-9));
        assertThat(r.getFirst().primary().max()).isEqualTo(14);
    }

    @Test
    void aMedianResultCarriesItsP99AndNoError() {
        StringBuilder samples = new StringBuilder();
        for (int i = 100; i >= 1; i--) {
            samples.append(i == 100 ? "" : ",").append(i);
        }
        JmhResult r = LineResults.parse("result HotPlug.bundleStart stat=median unit=ms samples=" + samples).getFirst();

        assertThat(r.mode()).isEqualTo("ss");
        assertThat(r.primary().score()).isEqualTo(50);
        assertThat(r.primary().error()).isNaN();
        assertThat(r.metric("p99").score()).isEqualTo(99);
        assertThat(r.primary().min()).isEqualTo(1);
        assertThat(r.params()).isEmpty(); // stat is not a parameter
    }

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = {1, 2, 3, 4};

        assertThat(LineResults.percentile(sorted, 50)).isEqualTo(2);
        assertThat(LineResults.percentile(sorted, 99)).isEqualTo(4);
        assertThat(LineResults.percentile(sorted, 0)).isEqualTo(1);
    }

    @Test
    void aMalformedResultLineIsRefusedNamingItsLineAndWhatIsWrong() {
        assertThatThrownBy(() -> LineResults.parse("# ok\nresult A.b unit=ns/op samples=1,x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2")
                .hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> LineResults.parse("result A.b samples=1")).hasMessageContaining("no unit=");
        assertThatThrownBy(() -> LineResults.parse("result A.b unit=ms")).hasMessageContaining("no samples=");
        assertThatThrownBy(() -> LineResults.parse("result A.b unit=ms stat=max samples=1"))
                .hasMessageContaining("stat is mean or median");
        assertThatThrownBy(() -> LineResults.parse("result batch=1 unit=ms samples=1"))
                .hasMessageContaining("Class.method");
        assertThatThrownBy(() -> LineResults.parse("result A.b junk unit=ms samples=1"))
                .hasMessageContaining("'junk' is not key=value");
        assertThatThrownBy(() -> LineResults.parse("result A.b unit=ms samples=1,NaN"))
                .hasMessageContaining("not finite");
    }

    @Test
    void linesThatAreNotResultsAreSkipped() {
        assertThat(LineResults.parse("bare_ring: 1 check(s) failed\n# results left out\n\n")).isEmpty();
    }

    @Test
    void whatFormatWritesParseReadsBack() {
        String line = LineResults.format("HotPlug.bundleStart", Map.of("devices", "1"), true, "ms", new double[] {3.5, 1, 2});

        JmhResult r = LineResults.parse(line).getFirst();

        assertThat(line).isEqualTo("result HotPlug.bundleStart devices=1 stat=median unit=ms samples=3.5,1.0,2.0");
        assertThat(r.params()).containsExactly(Map.entry("devices", "1"));
        assertThat(r.primary().score()).isEqualTo(2);
        assertThat(r.primary().max()).isEqualTo(3.5);
    }
}
