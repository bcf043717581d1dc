package interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import interop.peer.PeerException;
import interop.peer.PeerProcess;
import interop.peer.Peers;
import interop.peer.Testpmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The rules every started peer follows: bounded in time, killed by its pid, nothing left behind. */
@ExtendWith(NoLeftovers.class)
class PeerProcessIT {

    @TempDir
    Path dir;

    @Test
    void aPeerOutlivingItsLifetimeIsKilled() {
        try (PeerProcess sleeper = PeerProcess.start("sleeper", List.of("sleep", "600"), Duration.ofSeconds(1), List.of())) {
            assertThat(sleeper.waitFor(Duration.ofSeconds(30))).as("exit of a SIGKILLed process").isEqualTo(128 + 9);
            assertThat(sleeper.expired()).isTrue();
            assertThat(sleeper.failure("x").getMessage()).contains("its lifetime ran out and it was killed");
        }
    }

    @Test
    void closeKillsByPidAndDeletesWhatItLeft() throws IOException {
        Path file = Files.writeString(dir.resolve("left.sock"), "x");
        Path folder = Files.createDirectories(dir.resolve("runtime/deep"));
        Files.writeString(folder.resolve("config"), "y");
        PeerProcess sleeper = PeerProcess.start("sleeper", List.of("sleep", "600"), Duration.ofMinutes(1),
                List.of(file, dir.resolve("runtime")));
        long pid = sleeper.pid();
        sleeper.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("pid %d", pid).isNotEqualTo(java.util.Optional.of(true));
        assertThat(file).doesNotExist();
        assertThat(dir.resolve("runtime")).doesNotExist();
        assertThat(sleeper.leftovers()).isEmpty();
    }

    @Test
    void awaitingALineThatNeverComesFailsWithTheConsole() {
        try (PeerProcess echo = PeerProcess.start("echo", List.of("sh", "-c", "echo first; echo second"),
                Duration.ofSeconds(30), List.of())) {
            assertThat(echo.await(0, Pattern.compile("sec(o)nd"), Duration.ofSeconds(10)).group(1)).isEqualTo("o");
            assertThatThrownBy(() -> echo.await(0, Pattern.compile("third"), Duration.ofSeconds(10)))
                    .isInstanceOf(PeerException.class)
                    .hasMessageContaining("ended (exit 0) before printing /third/")
                    .hasMessageContaining("first\nsecond");
        }
    }

    /**
     * A testpmd killed from outside (as a crash would) leaves its socket and its runtime folder;
     * closing its launcher removes both.
     */
    @Test
    void aKilledTestpmdLeavesNothingOnceClosed() {
        Peers.require(Peers.TESTPMD);
        Path socket = dir.resolve("vhost.sock");
        Testpmd vhost = Testpmd.vhost(socket).name("vhost-killed").start();
        try (vhost) {
            vhost.awaitListening(Duration.ofSeconds(60));
            ProcessHandle handle = ProcessHandle.of(vhost.process().pid()).orElseThrow();
            handle.destroyForcibly();
            handle.onExit().join();
            assertThat(socket).as("a killed vhost PMD leaves its socket").exists();
            assertThat(vhost.process().leftovers()).isNotEmpty();
        }
        assertThat(vhost.process().leftovers()).isEmpty();
        assertThat(socket).doesNotExist();
    }
}
