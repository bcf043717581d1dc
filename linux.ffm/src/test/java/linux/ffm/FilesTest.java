package linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesTest {

    @TempDir
    Path dir;

    @Test
    void writeThenReadBackThroughOpenPreadPwrite() throws Exception {
        Path f = dir.resolve("data");
        try (Arena a = Arena.ofConfined();
                Fd fd = Files.open(f, Files.O_RDWR | Files.O_CREAT | Files.O_EXCL, 0600)) {
            assertThat(Files.write(fd, a.allocateFrom("hello", StandardCharsets.US_ASCII).asSlice(0, 5))).isEqualTo(5);
            assertThat(Files.pwrite(fd, a.allocateFrom("J", StandardCharsets.US_ASCII).asSlice(0, 1), 0)).isEqualTo(1);
            MemorySegment buf = a.allocate(16);
            assertThat(Files.pread(fd, buf, 0)).isEqualTo(5);
            assertThat(buf.getString(0, StandardCharsets.US_ASCII)).isEqualTo("Jello");
            assertThat(Files.size(fd)).isEqualTo(5);
            Files.truncate(fd, 4096);
            assertThat(Files.size(fd)).isEqualTo(4096);
            Files.Stat st = Files.stat(fd);
            assertThat(st.isRegular()).isTrue();
            assertThat(st.blockSize()).isEqualTo(4096);
            // the file offset is after "hello": read continues from there
            assertThat(Files.read(fd, buf.asSlice(0, 4))).isEqualTo(4);
        }
        assertThat(java.nio.file.Files.size(f)).isEqualTo(4096);
    }

    @Test
    void errorsNameTheCallAndErrno() throws Exception {
        assertThatThrownBy(() -> Files.open(dir.resolve("missing"), Files.O_RDONLY, 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.call()).isEqualTo("open");
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.errnoName()).isEqualTo("ENOENT");
                    assertThat(e.getMessage()).startsWith("open: ENOENT").contains("missing");
                });
        Fd fd = Files.memfdCreate("x", 0);
        // an ioctl a memfd does not know
        assertThatThrownBy(() -> Files.ioctl(fd, 0x5401 /* TCGETS */, Arena.ofAuto().allocate(64)))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("ENOTTY"));
        fd.close();
        assertThatThrownBy(() -> Files.size(fd))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EBADF");
                    assertThat(e.call()).isEqualTo("fstat");
                });
    }

    @Test
    void aClosedFdIsClosedOnceAndItsNumberIsNotReachedAgain() throws Exception {
        Fd a = Files.memfdCreate("a", 0);
        int number = a.number();
        a.close();
        a.close();
        assertThat(a.isOpen()).isFalse();
        // the kernel hands the lowest free number out again: the old Fd must not reach the new file
        try (Fd b = Files.memfdCreate("b", 0)) {
            Files.truncate(b, 123);
            assertThatThrownBy(() -> Files.truncate(a, 7)).isInstanceOf(LinuxException.class);
            assertThat(Files.size(b)).isEqualTo(123);
            assertThat(b.number()).isEqualTo(number);
        }
    }

    @Test
    void aCloseDuringACallWaitsForItToReturn() throws Exception {
        Fd fd = Files.memfdCreate("held", 0);
        int n = fd.acquire("test");
        fd.close();
        assertThat(fd.isOpen()).isFalse();
        // the number is still open in the kernel while held
        assertThat(new java.io.File("/proc/self/fd/" + n).exists()).isTrue();
        fd.release();
        assertThat(new java.io.File("/proc/self/fd/" + n).exists()).isFalse();
    }

    @Test
    void fcntlSetsNonBlocking() throws Exception {
        try (Fd fd = Files.memfdCreate("f", 0)) {
            assertThat(Files.fcntl(fd, Files.F_GETFD, 0) & Files.FD_CLOEXEC).isEqualTo(Files.FD_CLOEXEC);
            Files.setNonBlocking(fd, true);
            assertThat(Files.fcntl(fd, Files.F_GETFL, 0) & Files.O_NONBLOCK).isEqualTo(Files.O_NONBLOCK);
            Files.setNonBlocking(fd, false);
            assertThat(Files.fcntl(fd, Files.F_GETFL, 0) & Files.O_NONBLOCK).isZero();
        }
    }

    @Test
    void chmodUmaskAndUnlink() throws Exception {
        Path f = dir.resolve("m");
        int old = Files.umask(0077);
        try {
            try (Fd fd = Files.open(f, Files.O_RDWR | Files.O_CREAT, 0666)) {
                assertThat(fd.isOpen()).isTrue();
                assertThat(PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            }
        } finally {
            assertThat(Files.umask(old)).isEqualTo(0077);
        }
        Files.chmod(f, 0400);
        assertThat(PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(f))).isEqualTo("r--------");
        Files.unlink(f);
        assertThat(f).doesNotExist();
        assertThatThrownBy(() -> Files.unlink(f)).hasMessageStartingWith("unlink: ENOENT");
    }
}
