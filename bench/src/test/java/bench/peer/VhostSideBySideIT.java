package bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import interop.peer.Peers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The side-by-side harness for real, as short as it goes: one window of one second, split ring,
 * 64 bytes, both directions, against the runtime jar and DPDK's testpmd. Asserts that every run
 * moved frames and that the harness cleaned up after itself; it measures nothing worth reading.
 */
class VhostSideBySideIT {

    @TempDir
    Path dir;

    @Test
    void oneShortRunOfEachDirectionMovesFramesOnBothBackendsAndLeavesNothingRunning() throws Exception {
        Peers.require(Peers.TESTPMD);
        Path out = dir.resolve("vhost.txt");
        VhostOptions o = VhostOptions.parse("--seconds", "1", "--warmup", "1", "--repeat", "1", "--sizes", "64", "--rings", "split",
                "--out", out.toString());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<VhostSideBySide.Row> rows = VhostSideBySide.run(o, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(rows).hasSize(2);
        for (VhostSideBySide.Row r : rows) {
            assertThat(r.dpdk().min()).as("%s DPDK frames/s", r.direction()).isPositive();
            assertThat(r.busbar().min()).as("%s busbar frames/s", r.direction()).isPositive();
            assertThat(r.busbarCpu().min()).as("%s busbar CPU ns per frame", r.direction()).isPositive();
        }
        List<String> results = Files.readAllLines(out).stream().filter(l -> l.startsWith("result ")).toList();
        assertThat(results).hasSize(4);
        assertThat(results).allMatch(l -> l.matches(".* series=[0-9]+$"));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("busbar tx split", "dpdk   rx split");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).as("processes left").isEmpty();
    }
}
