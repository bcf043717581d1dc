package interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import interop.peer.PeerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import linux.ffm.testing.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The guards behind every peer test: the JVM's shutdown hook, and the leftover check itself. */
@ExtendWith(NoLeftovers.class)
class ShutdownHookIT {

    @TempDir
    Path dir;

    @Test
    void aJvmThatExitsWithoutClosingKillsItsPeersAndDeletesTheirFiles() throws IOException {
        Path left = Files.writeString(dir.resolve("orphan.sock"), "x");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                ExitWithoutClose.class.getName(), left.toString());
        long orphan;
        try (PeerProcess jvm = PeerProcess.start("exit-without-close", command, Duration.ofSeconds(60), List.of())) {
            orphan = Long.parseLong(jvm.await(0, Pattern.compile("pid=(\\d+)"), Duration.ofSeconds(30)).group(1));
            assertThat(jvm.waitFor(Duration.ofSeconds(30))).as("the child JVM's own exit").isEqualTo(3);
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("its peer, pid %d", orphan)
                .isNotEqualTo(Optional.of(true));
        assertThat(left).as("what its peer was to leave behind").doesNotExist();
    }

    @Test
    void theLeftoverCheckFailsOnAProcessStillRunning() throws Exception {
        Process stray = new ProcessBuilder("sleep", "600").start();
        try {
            assertThatThrownBy(() -> new NoLeftovers().afterEach(null)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("sleep");
        } finally {
            stray.destroyForcibly();
            stray.waitFor();
        }
    }

    @Test
    void theLeftoverCheckFailsOnANamespaceLeft() {
        try (TestNamespace ns = TestNamespace.create("stray")) {
            assertThatThrownBy(() -> new NoLeftovers().afterEach(null)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining(ns.name);
        }
    }
}
