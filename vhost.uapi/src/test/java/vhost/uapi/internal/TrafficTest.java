package vhost.uapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames both ways between a vhost-user front-end and a peer across a cable, split and packed, one and two pairs. */
class TrafficTest {

    @TempDir
    Path dir;

    @Test
    void splitRingsCarryFramesBothWays() throws Exception {
        both(0, 1);
    }

    @Test
    void packedRingsCarryFramesBothWays() throws Exception {
        both(Rig.PACKED, 1);
    }

    @Test
    void eventIdxSuppressesNothingThatIsNeeded() throws Exception {
        both(Rig.EVENT_IDX, 1);
    }

    private void both(long extra, int pairs) throws Exception {
        try (Rig rig = new Rig(dir, pairs); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1 | extra, TestFrontend.ALL_PROTOCOL);
            TestFrontend.Ring rx = fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, 256, true);
            fe.driverOk();
            fe.postRx(rx, 128, 2048);
            rig.toPeer(fe, tx, 1000, 0);
            rig.fromPeer(fe, rx, 1000);
            var s = rig.info().session();
            assertThat(s.rings()).hasSize(2);
            assertThat(s.rings().get(1).kicks()).isPositive();
            assertThat(s.rings().get(0).calls() + s.rings().get(1).calls()).isPositive();
            assertThat(s.deviceFeatures() & extra).isEqualTo(extra);
        }
    }

    @Test
    void aSecondQueuePairCarriesFramesToo() throws Exception {
        try (Rig rig = new Rig(dir, 2); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            assertThat(fe.getU64(vhost.uapi.internal.proto.Request.GET_QUEUE_NUM)).isEqualTo(4);
            TestFrontend.Ring rx0 = fe.ring(0, 256, true);
            fe.ring(1, 256, true);
            fe.ring(2, 256, true);
            TestFrontend.Ring tx1 = fe.ring(3, 256, true);
            fe.driverOk();
            fe.postRx(rx0, 128, 2048);
            // the front-end has no control queue: the device is given MQ so its layout holds pair 1
            assertThat(rig.info().session().deviceFeatures() & Rig.MQ).isEqualTo(Rig.MQ);
            rig.toPeer(fe, tx1, 300, 0);
        }
    }

    @Test
    void framesAreReceivedOnEveryPairTheFrontendEnabled() throws Exception {
        try (Rig rig = new Rig(dir, 2); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            TestFrontend.Ring rx0 = fe.ring(0, 256, true);
            fe.ring(1, 256, true);
            TestFrontend.Ring rx1 = fe.ring(2, 256, true);
            fe.ring(3, 256, true);
            fe.driverOk();
            fe.postRx(rx0, 64, 2048);
            fe.postRx(rx1, 64, 2048);
            // the front-end keeps its control queue to itself: the bridge tells the device it uses 2 pairs
            TestFrontend.await(() -> rig.info().session().receivePairs() == 2, "the device to receive on 2 pairs");
            for (int i = 0; i < 20; i++) {
                rig.peer.send(1, vdpa.sim.internal.TestDriver.frame(Rig.MAC_A, Rig.MAC_B, 100, i));
            }
            java.util.List<byte[]> got = new java.util.ArrayList<>();
            TestFrontend.await(() -> {
                try {
                    got.addAll(fe.receive(rx1));
                } catch (linux.ffm.LinuxException e) {
                    throw new IllegalStateException(e);
                }
                return got.size() >= 20;
            }, "20 frames on the second pair");
            assertThat(fe.receive(rx0)).as("nothing on pair 0").isEmpty();
            assertThat(got.get(19)).isEqualTo(vdpa.sim.internal.TestDriver.frame(Rig.MAC_A, Rig.MAC_B, 100, 19));
            // a ring the bridge drives is not the front-end's to set up
            fe.send(vhost.uapi.internal.proto.Request.SET_VRING_NUM, 0, fe.state(4, 64), java.util.List.of());
            org.assertj.core.api.Assertions.assertThatThrownBy(fe::reply).isInstanceOf(linux.ffm.LinuxException.class);
        }
    }

    @Test
    void aControlRingSetUpBeforeSetFeaturesIsNotTheFrontendsOnceTheBridgeClaimsIt() throws Exception {
        try (Rig rig = new Rig(dir, 2); TestFrontend fe = rig.frontend()) {
            long offered = fe.getU64(vhost.uapi.internal.proto.Request.GET_FEATURES);
            fe.features = offered & (Rig.VERSION_1 | vhost.uapi.internal.proto.Wire.bit(vhost.uapi.internal.proto.Wire.VHOST_USER_F_PROTOCOL_FEATURES));
            fe.protocol = TestFrontend.ALL_PROTOCOL;
            fe.send(vhost.uapi.internal.proto.Request.SET_PROTOCOL_FEATURES, 0, fe.u64(fe.protocol), java.util.List.of());
            // before SET_FEATURES no ring is the bridge's: the front-end sets up ring 4, the control queue's index
            fe.ring(4, 16, true);
            // then takes no control queue: ring 4 becomes the bridge's
            assertThat(fe.call(vhost.uapi.internal.proto.Request.SET_FEATURES, fe.u64(fe.features), java.util.List.of())).isZero();
            assertThat(fe.call(vhost.uapi.internal.proto.Request.SET_STATUS, fe.u64(1 | 2 | 8), java.util.List.of())).isZero();
            fe.setMemTable();
            TestFrontend.Ring rx0 = fe.ring(0, 256, true);
            fe.ring(1, 256, true);
            TestFrontend.Ring rx1 = fe.ring(2, 256, true);
            fe.ring(3, 256, true);
            fe.driverOk();
            assertThat(fe.connected()).isTrue();
            TestFrontend.await(() -> rig.info().session().receivePairs() == 2, "the bridge's control queue to set 2 pairs");
            assertThat(rig.info().session().rings()).extracting(vhost.uapi.internal.session.SessionInfo.Ring::index)
                    .as("ring 4 is the bridge's, not listed as the front-end's").containsExactly(0, 1, 2, 3);
            fe.postRx(rx0, 64, 2048);
            fe.postRx(rx1, 64, 2048);
            rig.peer.send(1, vdpa.sim.internal.TestDriver.frame(Rig.MAC_A, Rig.MAC_B, 100, 1));
            TestFrontend.await(() -> {
                try {
                    return !fe.receive(rx1).isEmpty();
                } catch (linux.ffm.LinuxException e) {
                    throw new IllegalStateException(e);
                }
            }, "a frame on the second pair");
        }
    }
}
