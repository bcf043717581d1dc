package vhost.uapi.internal.endpoint;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import linux.ffm.Errno;
import linux.ffm.Fd;
import linux.ffm.LinuxException;
import linux.ffm.UnixSocket;

/**
 * The listening socket of a server endpoint: its folder owner-only (0700), the socket file
 * owner-only (0600), made once per endpoint and kept across front-ends, so a client waiting in the
 * backlog while one front-end leaves is the next one accepted. A socket file left by a backend
 * that died is replaced; one that a live backend still listens on is refused.
 */
final class SocketFile {
    private SocketFile() {}

    /** Binds and listens at {@code path}. */
    static Fd listen(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        ownerOnlyFolder(dir);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            removeStale(path);
        }
        Fd fd = UnixSocket.socket(false);
        try {
            UnixSocket.bind(fd, path);
            linux.ffm.Files.chmod(path, 0600);
            UnixSocket.listen(fd, 8);
            return fd;
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Creates {@code dir} 0700 if missing; an existing one must be a folder, and is made 0700. */
    static void ownerOnlyFolder(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " exists and is not a folder");
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static void removeStale(Path path) throws IOException {
        Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (!(mode instanceof Integer m) || (m & linux.ffm.Files.Stat.S_IFMT) != linux.ffm.Files.Stat.S_IFSOCK) {
            throw new IOException(path + " exists and is not a socket");
        }
        try (Fd probe = UnixSocket.socket(false)) {
            UnixSocket.connect(probe, path);
            throw new IOException(path + " is in use: a backend listens on it");
        } catch (LinuxException e) {
            if (e.errno() != Errno.ECONNREFUSED) {
                throw e;
            }
        }
        linux.ffm.Files.unlink(path);
    }
}
