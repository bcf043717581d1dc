package runtime.boot.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The hot-deploy folder as a person starting the runtime in a new folder expects it: created
 * with the default devices, so {@code java -jar busbar.jar} shows a bound stack at once, as
 * {@code ./busbar} does. A folder that exists already is its owner's and is left as it is, even
 * empty: the defaults are only a start.
 *
 * <p>The folder appears whole or not at all: the files are written into a sibling folder that is
 * then renamed, so File Install, whenever it scans, never sees half a default file.
 */
final class DeployFolder {
    private DeployFolder() {}

    /**
     * Creates {@code deploy} holding {@code files} (name to content) unless it exists.
     *
     * @return whether it was created
     * @throws IOException if it could not be written; nothing is left behind
     */
    static boolean create(Path deploy, Map<String, byte[]> files) throws IOException {
        if (Files.exists(deploy)) {
            return false;
        }
        Path parent = deploy.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + deploy.getFileName() + "-");
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(staging.resolve(f.getKey()), f.getValue());
            }
            Files.move(staging, deploy, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException raced) {
            // someone else filled one meanwhile (or the rename cannot be atomic): theirs stays
            if (Files.isDirectory(deploy)) {
                return false;
            }
            throw raced;
        } finally {
            delete(staging);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
