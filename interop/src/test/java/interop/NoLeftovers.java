package interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test, whether it passed or failed: no process this JVM started still runs, no DPDK
 * runtime folder ({@code busbar-<pid>-<n>}) and no network namespace of this JVM (linux.ffm's
 * TestNamespace, {@code busbar-test-<pid>[-<suffix>]}) is left.
 */
public final class NoLeftovers implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        List<String> children = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().command().orElse("?")).toList();
        assertThat(children).as("processes this JVM started that still run").isEmpty();

        String mine = "busbar-" + ProcessHandle.current().pid() + "-";
        Path dpdk = Path.of("/var/run/dpdk");
        if (Files.isDirectory(dpdk)) {
            try (Stream<Path> dirs = Files.list(dpdk)) {
                assertThat(dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith(mine)).toList())
                        .as("DPDK runtime folders left in " + dpdk).isEmpty();
            }
        }
        Path netns = Path.of("/run/netns");
        if (Files.isDirectory(netns)) {
            String namespaces = "busbar-test-" + ProcessHandle.current().pid();
            try (Stream<Path> names = Files.list(netns)) {
                assertThat(names.map(n -> n.getFileName().toString())
                        .filter(n -> n.equals(namespaces) || n.startsWith(namespaces + "-")).toList())
                        .as("network namespaces left in " + netns).isEmpty();
            }
        }
    }
}
