package linux.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketTest {

    @TempDir
    Path dir;

    @Test
    void descriptorsPassedOverASocketPairReachTheSameFile() throws Exception {
        Fd[] pair = UnixSocket.socketPair();
        try (Fd a = pair[0]; Fd b = pair[1]; Arena arena = Arena.ofConfined();
                Fd memfd = Files.memfdCreate("passed", 0); EventFd ev = EventFd.create(0, true)) {
            Files.truncate(memfd, 4096);
            MemorySegment msg = arena.allocateFrom("hi", StandardCharsets.US_ASCII).asSlice(0, 2);
            assertThat(UnixSocket.send(a, msg, List.of(memfd, ev.fd()))).isEqualTo(2);
            MemorySegment buf = arena.allocate(16);
            UnixSocket.Received r = UnixSocket.receive(b, buf, 8);
            assertThat(r.bytes()).isEqualTo(2);
            assertThat(r.truncated()).isFalse();
            assertThat(r.fds()).hasSize(2);
            try (Fd gotMem = r.fds().get(0); EventFd gotEv = EventFd.adopt(r.fds().get(1))) {
                assertThat(gotMem.number()).isNotEqualTo(memfd.number());
                assertThat(Files.size(gotMem)).isEqualTo(4096);
                gotEv.write(9);
                assertThat(ev.read()).isEqualTo(9);
                assertThat(Files.fcntl(gotMem, Files.F_GETFD, 0) & Files.FD_CLOEXEC).isEqualTo(Files.FD_CLOEXEC);
            }
        }
    }

    @Test
    void descriptorsBeyondTheControlBufferNeverArrive() throws Exception {
        Fd[] pair = UnixSocket.socketPair();
        List<Fd> many = new ArrayList<>();
        try (Fd a = pair[0]; Fd b = pair[1]; Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < 20; i++) {
                many.add(Files.memfdCreate("m" + i, 0));
            }
            long before = openFds();
            UnixSocket.send(a, arena.allocate(1), many);
            UnixSocket.Received r = UnixSocket.receive(b, arena.allocate(8), 4);
            assertThat(r.fds()).hasSize(4);
            assertThat(r.truncated()).isTrue();
            assertThat(openFds()).isEqualTo(before + 4);
            r.closeFds();
            assertThat(openFds()).isEqualTo(before);
        } finally {
            many.forEach(Fd::close);
        }
    }

    @Test
    void listenAcceptConnectAndPeerCredentials() throws Exception {
        Path p = dir.resolve("s.sock");
        try (Fd server = UnixSocket.socket(false)) {
            UnixSocket.bind(server, p);
            UnixSocket.listen(server, 4);
            assertThat(java.nio.file.Files.readAttributes(p, "unix:mode").get("mode")).isNotNull();
            try (Fd client = UnixSocket.socket(false)) {
                UnixSocket.connect(client, p);
                try (Fd conn = UnixSocket.accept(server, false); Arena arena = Arena.ofConfined()) {
                    UnixSocket.PeerCredentials cred = UnixSocket.peerCredentials(conn);
                    assertThat(cred.pid()).isEqualTo((int) ProcessHandle.current().pid());
                    MemorySegment word = arena.allocate(8);
                    word.set(ValueLayout.JAVA_LONG, 0, 77);
                    UnixSocket.send(client, word, List.of());
                    MemorySegment in = arena.allocate(8);
                    assertThat(UnixSocket.receive(conn, in, 1).bytes()).isEqualTo(8);
                    assertThat(in.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(77);
                    UnixSocket.setReceiveTimeout(conn, 50);
                    assertThatThrownBy(() -> UnixSocket.receive(conn, in, 1))
                            .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EAGAIN"));
                    UnixSocket.shutdown(client);
                    assertThat(UnixSocket.receive(conn, in, 1).bytes()).isZero();
                }
            }
        }
    }

    @Test
    void socketErrorsNameErrno() throws Exception {
        try (Fd s = UnixSocket.socket(false)) {
            assertThatThrownBy(() -> UnixSocket.connect(s, dir.resolve("nobody.sock")))
                    .isInstanceOfSatisfying(LinuxException.class, e -> {
                        assertThat(e.call()).isEqualTo("connect");
                        assertThat(e.errnoName()).isEqualTo("ENOENT");
                    });
            assertThatThrownBy(() -> UnixSocket.connect(s, dir.resolve("x".repeat(200))))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("ENAMETOOLONG"));
        }
        Path p = dir.resolve("taken.sock");
        try (Fd one = UnixSocket.socket(false); Fd two = UnixSocket.socket(false)) {
            UnixSocket.bind(one, p);
            assertThatThrownBy(() -> UnixSocket.bind(two, p))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EADDRINUSE"));
            // bound but not listening: a client is refused
            try (Fd c = UnixSocket.socket(false)) {
                assertThatThrownBy(() -> UnixSocket.connect(c, p))
                        .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("ECONNREFUSED"));
            }
        }
        Fd[] pair = UnixSocket.socketPair();
        pair[1].close();
        try (Fd a = pair[0]; Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> UnixSocket.send(a, arena.allocate(4), List.of()))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EPIPE"));
        }
    }

    static long openFds() throws Exception {
        try (var s = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
