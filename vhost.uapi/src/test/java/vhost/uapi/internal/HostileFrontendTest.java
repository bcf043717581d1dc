package vhost.uapi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import linux.ffm.Fd;
import linux.ffm.LinuxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vhost.uapi.internal.proto.ProtocolError;
import vhost.uapi.internal.proto.Request;
import vhost.uapi.internal.proto.Wire;

/**
 * Each bad message closes its front-end's connection with the reason counted, leaves the device
 * reset, and the next front-end is served as if nothing happened.
 */
class HostileFrontendTest {

    @TempDir
    Path dir;

    interface Attack {
        void send(TestFrontend fe) throws Exception;
    }

    private void refused(Rig rig, ProtocolError reason, Attack attack) throws Exception {
        long before = rig.info().errors().getOrDefault(reason, 0L);
        try (TestFrontend fe = rig.frontend()) {
            attack.send(fe);
            assertThatThrownBy(fe::reply).as(reason + " closes the connection").isInstanceOf(LinuxException.class);
        }
        rig.awaitListening();
        assertThat(rig.info().errors().getOrDefault(reason, 0L)).as(reason + " counted").isEqualTo(before + 1);
        assertThat(rig.served.getStatus()).as("device reset after " + reason).isZero();
    }

    /** A well-behaved front-end after the hostile ones moves {@code frames} frames. */
    private static void servesWellBehaved(Rig rig, int frames) throws Exception {
        try (TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, 256, true);
            fe.driverOk();
            rig.toPeer(fe, tx, frames, 0);
        }
    }

    private static MemorySegment table(TestFrontend fe, long... gpaSizeUaddrOffset) {
        int n = gpaSizeUaddrOffset.length / 4;
        MemorySegment t = fe.arena.allocate(8 + Wire.REGION_SIZE * n, 8);
        t.set(ValueLayout.JAVA_INT, 0, n);
        for (int i = 0; i < gpaSizeUaddrOffset.length; i++) {
            t.set(ValueLayout.JAVA_LONG, 8 + 8L * i, gpaSizeUaddrOffset[i]);
        }
        return t;
    }

    @Test
    void everyKindOfBadMessageIsRefusedAndTheNextFrontendIsServed() throws Exception {
        try (Rig rig = new Rig(dir, 1)) {
            refused(rig, ProtocolError.BAD_VERSION, fe -> fe.sendRaw(Request.GET_FEATURES.number, 2, TestFrontend.NONE, List.of()));
            refused(rig, ProtocolError.UNEXPECTED_REPLY, fe -> fe.sendRaw(Request.GET_FEATURES.number, 1 | Wire.REPLY,
                    TestFrontend.NONE, List.of()));
            refused(rig, ProtocolError.UNKNOWN_REQUEST, fe -> fe.sendRaw(99, 1, TestFrontend.NONE, List.of()));
            refused(rig, ProtocolError.BAD_SIZE, fe -> fe.sendRaw(Request.SET_FEATURES.number, 1, fe.u64(1).asSlice(0, 4), List.of()));
            refused(rig, ProtocolError.BAD_SIZE, fe -> fe.sendRaw(Request.GET_FEATURES.number, 1, fe.arena.allocate(5000), List.of()));
            refused(rig, ProtocolError.FEATURES_NOT_OFFERED, fe -> fe.send(Request.SET_FEATURES, 0, fe.u64(1L << 62), List.of()));
            refused(rig, ProtocolError.BAD_QUEUE_INDEX, fe -> fe.send(Request.SET_VRING_NUM, 0, fe.state(200, 256), List.of()));
            refused(rig, ProtocolError.BAD_QUEUE_SIZE, fe -> fe.send(Request.SET_VRING_NUM, 0, fe.state(0, 1 << 20), List.of()));
            refused(rig, ProtocolError.BAD_FD_COUNT, fe -> fe.send(Request.SET_VRING_KICK, 0, fe.u64(0), List.of(fe.memfd, fe.memfd)));
            refused(rig, ProtocolError.BAD_FD_COUNT, fe -> fe.send(Request.GET_FEATURES, 0, TestFrontend.NONE, List.of(fe.memfd)));
            refused(rig, ProtocolError.NOT_NEGOTIATED, fe -> fe.send(Request.GET_MAX_MEM_SLOTS, 0, TestFrontend.NONE, List.of()));
            long ua = 0x7000_0000_0000L;
            refused(rig, ProtocolError.BAD_REGION, fe -> fe.send(Request.SET_MEM_TABLE, 0,
                    table(fe, 0, 4096, ua, 0, 2048, 4096, ua + 8192, 0), List.of(fe.memfd, fe.memfd)));
            refused(rig, ProtocolError.BAD_REGION, fe -> fe.send(Request.SET_MEM_TABLE, 0,
                    table(fe, 0, 4096, ua, 0, 8192, 4096, ua + 1024, 0), List.of(fe.memfd, fe.memfd)));
            refused(rig, ProtocolError.BAD_REGION, fe -> fe.send(Request.SET_MEM_TABLE, 0,
                    table(fe, -4096, 8192, ua, 0), List.of(fe.memfd)));
            refused(rig, ProtocolError.REGION_BEYOND_FILE, fe -> fe.send(Request.SET_MEM_TABLE, 0,
                    table(fe, 0, TestFrontend.MEMORY + 4096, ua, 0), List.of(fe.memfd)));
            refused(rig, ProtocolError.TOO_MANY_REGIONS, fe -> {
                MemorySegment t = table(fe, 0, 4096, ua, 0);
                t.set(ValueLayout.JAVA_INT, 0, 9);
                fe.send(Request.SET_MEM_TABLE, 0, t, List.of(fe.memfd));
            });
            refused(rig, ProtocolError.MEMORY_NOT_SHARED, fe -> {
                // a descriptor that is not a memory file
                Fd[] pair = linux.ffm.UnixSocket.socketPair();
                try {
                    fe.send(Request.SET_MEM_TABLE, 0, table(fe, 0, 4096, ua, 0), List.of(pair[0]));
                } finally {
                    pair[0].close();
                    pair[1].close();
                }
            });
            refused(rig, ProtocolError.BAD_CONFIG_ACCESS, fe -> {
                fe.send(Request.SET_PROTOCOL_FEATURES, 0, fe.u64(Wire.bit(Wire.PROTOCOL_F_CONFIG)), List.of());
                MemorySegment c = fe.arena.allocate(Wire.CONFIG_HEADER_SIZE + 8, 8);
                c.set(ValueLayout.JAVA_INT, 0, 250);
                c.set(ValueLayout.JAVA_INT, 4, 8);
                fe.send(Request.GET_CONFIG, 0, c, List.of());
            });
            refused(rig, ProtocolError.TRUNCATED, fe -> {
                MemorySegment h = fe.arena.allocate(12, 4);
                h.set(ValueLayout.JAVA_INT, 0, Request.SET_FEATURES.number);
                h.set(ValueLayout.JAVA_INT, 4, 1);
                h.set(ValueLayout.JAVA_INT, 8, 8);
                // a header announcing 8 payload bytes, then silence
                linux.ffm.UnixSocket.send(fe.socket, h, List.of());
            });
            refused(rig, ProtocolError.BAD_RING_ADDRESS, fe -> {
                fe.negotiate(Rig.VERSION_1, 0);
                fe.send(Request.SET_VRING_NUM, 0, fe.state(1, 256), List.of());
                MemorySegment a = fe.arena.allocate(Wire.VRING_ADDR_SIZE, 8);
                a.set(ValueLayout.JAVA_INT, 0, 1);
                a.set(ValueLayout.JAVA_LONG, 8, 0x1000); // no region holds this user address
                fe.send(Request.SET_VRING_ADDR, 0, a, List.of());
                fe.send(Request.SET_VRING_KICK, 0, fe.u64(1 | Wire.VRING_NOFD_MASK), List.of());
                fe.send(Request.SET_VRING_ENABLE, 0, fe.state(1, 1), List.of());
            });
            assertThat(rig.info().connections()).isEqualTo(20);
            // and the next, well-behaved front-end moves frames
            servesWellBehaved(rig, 50);
        }
    }

    @Test
    void aKickDescriptorThatIsNotAnEventfdEndsItsConnectionNotTheEndpoint() throws Exception {
        try (Rig rig = new Rig(dir, 1)) {
            Fd[] pair = linux.ffm.UnixSocket.socketPair();
            try {
                refused(rig, ProtocolError.NOT_AN_EVENTFD, fe -> {
                    fe.send(Request.SET_VRING_KICK, 0, fe.u64(0), List.of(pair[0]));
                    // one byte where an eventfd read takes eight
                    linux.ffm.UnixSocket.send(pair[1], fe.arena.allocate(1), List.of());
                });
            } finally {
                pair[0].close();
                pair[1].close();
            }
            servesWellBehaved(rig, 10);
        }
    }

    @Test
    void aFrontendThatNeverReadsItsRepliesIsDisconnectedAndTheEndpointStaysServing() throws Exception {
        try (Rig rig = new Rig(dir, 1)) {
            try (TestFrontend fe = rig.frontend()) {
                // thousands of GET_FEATURES in one write, and no reply ever read: the replies fill the socket
                int n = 4000;
                MemorySegment burst = fe.arena.allocate(12L * n, 4);
                for (int i = 0; i < n; i++) {
                    burst.set(ValueLayout.JAVA_INT, 12L * i, Request.GET_FEATURES.number);
                    burst.set(ValueLayout.JAVA_INT, 12L * i + 4, 1);
                }
                linux.ffm.UnixSocket.send(fe.socket, burst, List.of());
                java.util.concurrent.CompletableFuture<String> state = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    long deadline = System.nanoTime() + 3 * TestFrontend.WAIT_NANOS / 4;
                    while (System.nanoTime() < deadline && !rig.info().state().equals("listening")) {
                        Thread.onSpinWait();
                    }
                    return rig.info().state();
                });
                assertThat(state.get(TestFrontend.WAIT_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS))
                        .as("the endpoint lets go of a front-end that does not read").isEqualTo("listening");
            }
            servesWellBehaved(rig, 10);
        }
    }

    @Test
    void aCallDescriptorWhoseCounterIsFullNeverBlocksTheDevice() throws Exception {
        try (Rig rig = new Rig(dir, 1)) {
            try (TestFrontend fe = rig.frontend();
                    linux.ffm.EventFd full = linux.ffm.EventFd.create(0, false)) {
                fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
                fe.ring(0, 256, true);
                TestFrontend.Ring tx = fe.ring(1, 256, true);
                // a blocking eventfd one short of its largest count: one more write(2) of 1 would wait for a read
                full.write(0xffff_ffff_ffff_fffeL);
                fe.send(Request.SET_VRING_CALL, Wire.NEED_REPLY, fe.u64(1), List.of(full.fd()));
                assertThat(fe.reply().u64()).isZero();
                fe.driverOk();
                try {
                    rig.toPeer(fe, tx, 50, 0);
                } finally {
                    full.read(); // lets a device thread stuck in the call go, so the rig can close
                }
            }
        }
    }

    @Test
    void descriptorsOfRefusedMessagesAreClosed() throws Exception {
        try (Rig rig = new Rig(dir, 1)) {
            long before = descriptorsOf("memfd:guest");
            refused(rig, ProtocolError.BAD_REGION, fe -> fe.send(Request.SET_MEM_TABLE, 0,
                    table(fe, 0, 4096, 0x7000_0000_0000L, 0, 0, 4096, 0x7100_0000_0000L, 0), List.of(fe.memfd, fe.memfd)));
            assertThat(descriptorsOf("memfd:guest")).isEqualTo(before);
            assertThat(mappingsOf("memfd:guest")).isZero();
        }
    }

    static long descriptorsOf(String what) throws Exception {
        long n = 0;
        try (var s = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : s.toList()) {
                try {
                    if (java.nio.file.Files.readSymbolicLink(p).toString().contains(what)) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // closed while listing
                }
            }
        }
        return n;
    }

    static long mappingsOf(String what) throws Exception {
        return java.nio.file.Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(what)).count();
    }

}
