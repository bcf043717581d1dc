package itest;

import interop.peer.Busbar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The executable runtime (runtime/target/busbar.jar) started as a person starts it, with
 * {@code java -jar} in a folder of its own and no options of ours, through interop's launcher
 * ({@link Busbar}: driven through Gogo on its standard input, bounded in time, killed by its pid).
 */
final class RuntimeJar {

    /** How long one step may take: a command's answer, a line of output. */
    static final Duration STEP = Duration.ofSeconds(20);
    /** The longest a runtime of these tests may live. */
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private RuntimeJar() {
    }

    /** Starts the runtime jar in {@code home}, which must exist. */
    static Busbar start(Path home) {
        return Busbar.start("busbar-" + home.getFileName(), home, null, LIFETIME);
    }

    /** A new, empty folder below the tests' work folder. */
    static Path newHome(String prefix) throws IOException {
        Path work = Files.createDirectories(Paths.get(BusbarOptions.required("busbar.itest.work")));
        return Files.createTempDirectory(work, prefix);
    }

    /** Deletes a folder and everything below it. */
    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The cells of the first line whose second cell is {@code device}, or an empty list. */
    static List<String> cells(String table, String device) {
        return table.lines()
                .map(l -> Arrays.asList(l.replace("g!", "").trim().split("\\s+")))
                .filter(c -> c.size() > 1 && c.get(1).equals(device))
                .findFirst()
                .orElse(List.of());
    }
}
