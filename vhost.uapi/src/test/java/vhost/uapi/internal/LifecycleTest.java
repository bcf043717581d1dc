package vhost.uapi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import linux.ffm.Fd;
import linux.ffm.LinuxException;
import linux.ffm.UnixSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vdpa.sim.internal.TestDriver;
import vhost.uapi.internal.endpoint.Endpoint;
import vhost.uapi.internal.endpoint.EndpointConfig;
import vhost.uapi.internal.proto.Request;
import vhost.uapi.internal.proto.Wire;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioNet;
import virtio.spec.VirtioFeatures;

/** Front-ends that come, go, die, reset; what the backend keeps and what it must not. */
class LifecycleTest {

    @TempDir
    Path dir;

    /** Descriptors and mappings a session could leave behind: eventfds, sockets, the front-end's memory. */
    record Held(long eventfds, long sockets, long memfds, long mappings) {
        static Held now() throws Exception {
            return new Held(HostileFrontendTest.descriptorsOf("[eventfd]"), HostileFrontendTest.descriptorsOf("socket:"),
                    HostileFrontendTest.descriptorsOf("memfd:guest"), HostileFrontendTest.mappingsOf("memfd:guest"));
        }
    }

    @Test
    void aFrontendKilledMidTrafficLeavesNothingAndTheNextOneMovesFrames() throws Exception {
        try (Rig rig = new Rig(dir, 1)) {
            Held before = Held.now();
            TestFrontend fe = rig.frontend();
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            TestFrontend.Ring rx = fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, 256, true);
            fe.driverOk();
            fe.postRx(rx, 64, 2048);
            rig.toPeer(fe, tx, 200, 0);
            // frames in flight both ways, then the front-end is gone without a word
            for (int i = 0; i < 100; i++) {
                fe.send(tx, TestDriver.frame(Rig.MAC_B, Rig.MAC_A, 200, i));
                rig.peer.trySend(0, TestDriver.frame(Rig.MAC_A, Rig.MAC_B, 200, i));
            }
            fe.close();
            rig.awaitListening();
            assertThat(rig.served.getStatus()).as("device reset").isZero();
            assertThat(Held.now()).as("nothing of the front-end is held").isEqualTo(before);
            // the peer's frames for the dead front-end are dropped; traffic resumes with the next one
            rig.drainPeer();
            try (TestFrontend next = rig.frontend()) {
                next.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
                TestFrontend.Ring rx2 = next.ring(0, 256, true);
                TestFrontend.Ring tx2 = next.ring(1, 256, true);
                next.driverOk();
                next.postRx(rx2, 64, 2048);
                rig.toPeer(next, tx2, 200, 1000);
                rig.fromPeer(next, rx2, 100);
            }
            rig.awaitListening();
            assertThat(Held.now()).isEqualTo(before);
        }
    }

    @Test
    void aLinkChangeReachesTheFrontendAsAConfigChangeMessage() throws Exception {
        try (Rig rig = new Rig(dir, 1); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1 | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_STATUS), TestFrontend.ALL_PROTOCOL);
            Fd backend = fe.backendChannel();
            fe.ring(0, 256, true);
            fe.ring(1, 256, true);
            fe.driverOk();
            assertThat(linkUp(fe)).isTrue();
            rig.sim.setLoopbackLink(rig.served, false);
            UnixSocket.setReceiveTimeout(backend, 10_000);
            TestFrontend.Reply msg = TestFrontend.readMessage(backend);
            assertThat(msg.request()).isEqualTo(Wire.BACKEND_CONFIG_CHANGE_MSG);
            assertThat(msg.flags() & Wire.VERSION_MASK).isEqualTo(Wire.VERSION);
            assertThat(linkUp(fe)).isFalse();
            assertThat(rig.info().session().configChangesSent()).isEqualTo(1);
        }
    }

    private static boolean linkUp(TestFrontend fe) throws LinuxException {
        MemorySegment c = fe.arena.allocate(Wire.CONFIG_HEADER_SIZE + 2, 8);
        c.set(ValueLayout.JAVA_INT, 0, VirtioNet.VIRTIO_NET_CONFIG_STATUS);
        c.set(ValueLayout.JAVA_INT, 4, 2);
        fe.send(Request.GET_CONFIG, 0, c, List.of());
        TestFrontend.Reply r = fe.reply();
        assertThat(r.payload().byteSize()).isEqualTo(Wire.CONFIG_HEADER_SIZE + 2);
        return (r.payload().get(ValueLayout.JAVA_SHORT_UNALIGNED, Wire.CONFIG_HEADER_SIZE) & VirtioNet.VIRTIO_NET_S_LINK_UP) != 0;
    }

    @Test
    void theSameMemoryTableAgainMovesNothing() throws Exception {
        try (Rig rig = new Rig(dir, 1); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, 256, true);
            fe.driverOk();
            rig.toPeer(fe, tx, 100, 0);
            long mapped = rig.info().session().regions().get(0).hostAddr();
            // as QEMU's second queue pair sends it
            fe.setMemTable();
            assertThat(rig.info().session().regions().get(0).hostAddr()).as("the same mapping").isEqualTo(mapped);
            assertThat(HostileFrontendTest.mappingsOf("memfd:guest")).isEqualTo(2);
            rig.toPeer(fe, tx, 100, 100);
        }
    }

    @Test
    void statusFollowsTheDeviceAndZeroResetsIt() throws Exception {
        try (Rig rig = new Rig(dir, 1); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            assertThat(DeviceStatus.FEATURES_OK.in((int) fe.getU64(Request.GET_STATUS))).as("FEATURES_OK").isTrue();
            assertThat(DeviceStatus.FEATURES_OK.in(rig.served.getStatus())).isTrue();
            fe.ring(0, 256, true);
            fe.ring(1, 256, true);
            fe.driverOk();
            assertThat(DeviceStatus.DRIVER_OK.in(rig.served.getStatus())).as("device at DRIVER_OK").isTrue();
            assertThat(fe.call(Request.SET_STATUS, fe.u64(0), List.of())).isZero();
            assertThat(rig.served.getStatus()).isZero();
            assertThat(fe.getU64(Request.GET_STATUS)).isZero();
        }
    }

    @Test
    void anMtuAboveTheDevicesIsRefusedAndOneWithinIsTaken() throws Exception {
        try (Rig rig = new Rig(dir, 1); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            assertThat(fe.call(Request.NET_SET_MTU, fe.u64(9000), List.of())).as("above the device's 1500").isNotZero();
            assertThat(fe.call(Request.NET_SET_MTU, fe.u64(1400), List.of())).isZero();
            assertThat(rig.info().session().mtu()).isEqualTo(1400);
        }
    }

    @Test
    void memorySlotsAddedOneByOneCarryTrafficAndCanBeRemoved() throws Exception {
        try (Rig rig = new Rig(dir, 1); TestFrontend fe = rig.frontend()) {
            long offered = fe.getU64(Request.GET_FEATURES);
            fe.features = offered & (Rig.VERSION_1 | Wire.bit(Wire.VHOST_USER_F_PROTOCOL_FEATURES));
            fe.protocol = TestFrontend.ALL_PROTOCOL;
            fe.send(Request.SET_PROTOCOL_FEATURES, 0, fe.u64(fe.protocol), List.of());
            assertThat(fe.getU64(Request.GET_MAX_MEM_SLOTS)).isEqualTo(509);
            assertThat(fe.call(Request.SET_FEATURES, fe.u64(fe.features), List.of())).isZero();
            fe.call(Request.SET_STATUS, fe.u64(1 | 2 | 8), List.of());
            MemorySegment reg = region(fe);
            assertThat(fe.call(Request.ADD_MEM_REG, reg, List.of(fe.memfd))).isZero();
            fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, 256, true);
            fe.driverOk();
            rig.toPeer(fe, tx, 100, 0);
            assertThat(rig.info().session().regions()).hasSize(1);
            // QEMU adds the same region once per queue pair on one connection: counted, not refused
            assertThat(fe.call(Request.ADD_MEM_REG, reg, List.of(fe.memfd))).isZero();
            assertThat(rig.info().session().regions()).hasSize(1);
            assertThat(fe.call(Request.REM_MEM_REG, reg, List.of())).isZero();
            assertThat(rig.info().session().regions()).as("one add left").hasSize(1);
            assertThat(rig.info().session().rings()).allMatch(r -> r.ready());
            assertThat(fe.call(Request.REM_MEM_REG, reg, List.of())).isZero();
            assertThat(rig.info().session().regions()).isEmpty();
            assertThat(rig.info().session().rings()).noneMatch(r -> r.ready());
            assertThat(HostileFrontendTest.mappingsOf("memfd:guest")).as("only the front-end's own mapping").isEqualTo(1);
        }
    }

    private static MemorySegment region(TestFrontend fe) {
        MemorySegment r = fe.arena.allocate(8 + Wire.REGION_SIZE, 8);
        r.set(ValueLayout.JAVA_LONG, 8, TestFrontend.GPA);
        r.set(ValueLayout.JAVA_LONG, 16, TestFrontend.MEMORY);
        r.set(ValueLayout.JAVA_LONG, 24, fe.pool.segment().address());
        return r;
    }

    @Test
    void closingTheEndpointDisconnectsTheFrontendAndRemovesTheSocket() throws Exception {
        Rig rig = new Rig(dir, 1);
        TestFrontend fe = rig.frontend();
        try {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            fe.ring(0, 256, true);
            fe.ring(1, 256, true);
            fe.driverOk();
            rig.endpoint.close();
            assertThatThrownBy(fe::reply).isInstanceOf(LinuxException.class);
            assertThat(rig.socket).doesNotExist();
            assertThat(rig.served.getStatus()).isZero();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vhost-vdpa0"));
            assertThat(HostileFrontendTest.mappingsOf("memfd:guest")).isEqualTo(1);
            assertThat(Files.getPosixFilePermissions(rig.socket.getParent()))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        } finally {
            rig.close();
        }
    }

    @Test
    void theSocketIsOwnerOnly() throws Exception {
        try (Rig rig = new Rig(dir, 1)) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(rig.socket)))
                    .isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(rig.socket.getParent())))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void aClientEndpointConnectsWhenTheFrontendListensAndReconnectsAfterItLeaves() throws Exception {
        try (vdpa.sim.internal.SimRig sim = new vdpa.sim.internal.SimRig()) {
            var dev = sim.device("vdpa9", Rig.MAC_A, 1, "loopback");
            Path sock = dir.resolve("vm").resolve("net0.sock");
            Files.createDirectories(sock.getParent());
            try (Endpoint ep = Endpoint.start("vdpa9", dev, new EndpointConfig(sock, true, 10, 200))) {
                Thread.sleep(300);
                assertThat(ep.info().state()).isEqualTo("connecting");
                try (Fd listening = UnixSocket.socket(false)) {
                    UnixSocket.bind(listening, sock);
                    UnixSocket.listen(listening, 1);
                    for (int round = 0; round < 2; round++) {
                        try (Fd conn = UnixSocket.accept(listening, false)) {
                            TestFrontend.await(() -> ep.info().state().equals("connected"), "the client to connect");
                            MemorySegment h = MemorySegment.ofArray(new byte[12]);
                            h.set(ValueLayout.JAVA_INT_UNALIGNED, 0, Request.GET_FEATURES.number);
                            h.set(ValueLayout.JAVA_INT_UNALIGNED, 4, Wire.VERSION);
                            MemorySegment nat = java.lang.foreign.Arena.ofAuto().allocate(12);
                            nat.copyFrom(h);
                            UnixSocket.send(conn, nat, List.of());
                            UnixSocket.setReceiveTimeout(conn, 10_000);
                            assertThat(TestFrontend.readMessage(conn).u64()).isNotZero();
                        }
                    }
                    assertThat(ep.info().connections()).isEqualTo(2);
                }
            }
        }
    }
}
