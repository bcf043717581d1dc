package linux.ffm;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Network namespaces (network_namespaces(7)) by name, as iproute2 keeps them: a namespace named
 * {@code n} is the nsfs file {@code /var/run/netns/n} that {@code ip netns add n} bind-mounts.
 *
 * <p>{@link #enter} moves the <em>calling thread</em> only: setns(2) changes the namespaces of
 * the thread that calls it, and every other thread of the JVM stays where it was. Sockets and
 * TAP interfaces that thread makes afterwards belong to the namespace; descriptors it already
 * had keep theirs.
 */
public final class Netns {
    private Netns() {}

    /** Where iproute2 keeps named network namespaces. */
    public static final Path RUN_DIR = Path.of("/var/run/netns");

    /**
     * Why {@code name} cannot name a namespace under {@link #RUN_DIR}, or null if it can: 1 to 255
     * characters of letters, digits, {@code _ . -}, not {@code .} or {@code ..} (a name is one
     * file, never a path).
     */
    public static String invalidName(String name) {
        if (name.isEmpty() || name.length() > 255) {
            return "network namespace name must be 1 to 255 characters";
        }
        if (name.equals(".") || name.equals("..") || !name.matches("[A-Za-z0-9_.-]+")) {
            return "network namespace name '" + name + "' must be letters, digits, '_', '.' or '-'";
        }
        return null;
    }

    /**
     * The file of the namespace {@code name}.
     *
     * @throws IllegalArgumentException if {@link #invalidName} refuses it
     */
    public static Path path(String name) {
        String invalid = invalidName(name);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid);
        }
        return RUN_DIR.resolve(name);
    }

    /**
     * {@link Namespaces#setns}: moves the calling thread into the network namespace of {@code nsFile} (a file of
     * {@link #RUN_DIR}, or {@code /proc/<pid>/ns/net}).
     *
     * @throws LinuxException from open (ENOENT: no such namespace) or from setns (EINVAL: the file
     *     is not a network namespace; EPERM: no CAP_SYS_ADMIN)
     */
    public static void enter(Path nsFile) throws LinuxException {
        try (Fd fd = Files.open(nsFile, Files.O_RDONLY, 0)) {
            Namespaces.setns(fd, Namespaces.CLONE_NEWNET);
        }
    }

    /**
     * The network namespace of the calling thread as the kernel names it, {@code net:[4026531840]}
     * (the link /proc/thread-self/ns/net): equal strings, same namespace.
     */
    public static String current() throws IOException {
        return java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }
}
