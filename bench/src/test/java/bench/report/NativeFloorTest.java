package bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import bench.ring.RingFixture;

/**
 * The native floor (native/bare_ring.c) builds with the system gcc through the same script
 * bench/run uses, runs, checks its own results (every token staged came back, every chain walked),
 * and prints results the report reads ({@link LineResults}). A build with one token corrupted on the way back must fail
 * its check and print no result for it. Short runs, no timing asserted: only that the numbers are
 * there and finite.
 */
class NativeFloorTest {

    private static final Path BUILD = Path.of("native", "build");

    /** The program's exit status, standard output and error. */
    record Run(int status, String out, String err) {
    }

    private static Run exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        // both streams are small; read them in turn after a bounded wait
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 120 s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String build(String dir, String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", BUILD.toString(), "target/" + dir));
        cmd.addAll(List.of(flags));
        Run b = exec(cmd);
        assertThat(b.status()).as("build: %s", b.err()).isZero();
        return b.out().strip();
    }

    @Test
    void buildsRunsVerifiesItsTokensAndPrintsEveryResultOnTheRingBenchmarksQueueSize() throws Exception {
        String bin = build("native-test");

        Run r = exec(List.of(bin, "-wi", "0", "-i", "2", "-r", "0.05"));

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("-fno-tree-slp-vectorize")
                .contains("# verified roundTrip").contains("# verified handoff batch=1").contains("# verified handoff batch=32");
        List<JmhResult> results = LineResults.parse(r.out());
        assertThat(results).extracting(JmhResult::shortName)
                .containsExactly("NativeBareRing.roundTrip", "NativeBareRing.handoff", "NativeBareRing.handoff");
        // a loaded machine may starve a 50 ms iteration of a two-thread run: rates may be 0, never negative
        assertThat(results).allSatisfy(x -> {
            assertThat(x.params()).containsEntry("queue", String.valueOf(RingFixture.QUEUE_SIZE));
            assertThat(x.primary().min()).isNotNegative().isFinite();
            assertThat(x.primary().max()).isFinite().isGreaterThanOrEqualTo(x.primary().min());
        });
        assertThat(results.get(0).primary().min()).isPositive(); // a round trip takes time
        // whatever the scheduler did, each run checked at least a ring's worth of tokens
        Matcher m = Pattern.compile("# verified (\\S+) batch=(\\d+): (\\d+) tokens came back").matcher(r.out());
        int verified = 0;
        while (m.find()) {
            assertThat(Long.parseLong(m.group(3))).as(m.group()).isGreaterThanOrEqualTo(RingFixture.QUEUE_SIZE);
            verified++;
        }
        assertThat(verified).isEqualTo(3);
        assertThat(results.get(0).primary().unit()).isEqualTo("ns/op");
        assertThat(results.get(1).params()).containsEntry("batch", "1");
        assertThat(results.get(2).params()).containsEntry("batch", "32");
        assertThat(results.get(2).primary().unit()).isEqualTo("ops/s");
    }

    @Test
    void aTokenThatComesBackWrongFailsTheRunAndItsResultIsLeftOut() throws Exception {
        String bin = build("native-test", "-DBARE_RING_FAULT");

        Run r = exec(List.of(bin, "-wi", "0", "-i", "1", "-r", "0.05", "roundTrip"));

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("roundTrip batch=1: token sum").contains("not valid");
        assertThat(r.out()).doesNotContain("result NativeBareRing.roundTrip").doesNotContain("# verified roundTrip");
    }

    @Test
    void refusesArgumentsItDoesNotKnow() throws Exception {
        String bin = build("native-test");

        Run r = exec(List.of(bin, "-i", "0"));
        Run s = exec(List.of(bin, "roundtrip"));

        assertThat(r.status()).isEqualTo(1);
        assertThat(s.status()).isEqualTo(1);
        assertThat(s.err()).contains("usage: bare_ring");
    }
}
