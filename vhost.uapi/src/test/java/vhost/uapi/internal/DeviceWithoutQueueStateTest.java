package vhost.uapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vdpa.bus.VqStateSupport;
import vhost.uapi.internal.proto.Request;

/**
 * The bridge over a device that cannot report or restore queue state nor stop one queue (vp_vdpa
 * over a virtio-pci function): GET_VRING_BASE stops the rings by resetting the device and answers
 * where the front-end resumes (split: the used index in guest memory), a base the device cannot
 * start at is refused, and vhost:show says the device does not report queue state.
 */
class DeviceWithoutQueueStateTest {

    @TempDir
    Path dir;

    @Test
    void framesCrossAVirtioPciFunctionBothWays() throws Exception {
        try (Rig rig = Rig.overPci(dir, 1); TestFrontend fe = rig.frontend()) {
            assertThat(rig.served.vqStateSupport()).isEqualTo(VqStateSupport.INITIAL_ONLY);
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            TestFrontend.Ring rx = fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, 256, true);
            fe.postRx(rx, 64, 2048);
            fe.driverOk();
            rig.toPeer(fe, tx, 40, 0);
            rig.fromPeer(fe, rx, 40);
        }
    }

    @Test
    void getVringBaseStopsTheRingsByAResetAndAnswersTheUsedIndexInGuestMemorySplit() throws Exception {
        try (Rig rig = Rig.overPci(dir, 1); TestFrontend fe = rig.frontend()) {
            TestFrontend.Ring tx = fiveSent(rig, fe, 0);
            TestFrontend.await(() -> {
                fe.reapTx(tx);
                return tx.queue.freeDescriptors() == 8;
            }, "every TX buffer back");
            assertThat(fe.getVringBase(1)).as("the used index the device left in guest memory").isEqualTo(5);
            assertThat(fe.connected()).isTrue();
            assertThat(rig.info().session().rings().get(1).ready()).isFalse();
            assertThat(fe.getVringBase(1)).as("asked again: nothing moved").isEqualTo(5);
            // the device stops a queue only by a reset: the receive ring stopped with it, where it stood
            assertThat(rig.info().session().rings().get(0).ready()).isFalse();
            assertThat(fe.getVringBase(0)).isZero();

            // the front-end resumes from its start (the only state the device takes): traffic flows again
            fe.ring(0, 256, true);
            TestFrontend.Ring again = fe.ring(1, 8, true);
            rig.toPeer(fe, again, 5, 5);
            assertThat(rig.info().session().refusedRequests()).isZero();
        }
    }

    @Test
    void getVringBaseOfAPackedRingAnswersItsStartTheOnlyStateTheDeviceResumesFrom() throws Exception {
        try (Rig rig = Rig.overPci(dir, 1); TestFrontend fe = rig.frontend()) {
            fiveSent(rig, fe, Rig.PACKED);
            assertThat(fe.getVringBase(1)).isEqualTo(0x8000_8000L);
            assertThat(fe.connected()).isTrue();
            assertThat(rig.info().session().rings().get(1).ready()).isFalse();
        }
    }

    @Test
    void aBaseTheDeviceCannotStartAtIsRefusedWithAReasonAndTheRingStaysStopped() throws Exception {
        try (Rig rig = Rig.overPci(dir, 1); TestFrontend fe = rig.frontend()) {
            TestFrontend.Ring tx = fiveSent(rig, fe, 0);
            long base = fe.getVringBase(1);
            assertThat(fe.call(Request.SET_VRING_BASE, fe.state(1, base), List.of())).as("REPLY_ACK carries the refusal").isNotZero();
            assertThat(fe.call(Request.SET_VRING_KICK, fe.u64(1), List.of(tx.kick.fd()))).isZero();
            assertThat(fe.connected()).isTrue();
            assertThat(rig.info().session().rings().get(1).ready()).as("never started where the device cannot take it").isFalse();
            assertThat(rig.info().session().refusedRequests()).isEqualTo(1);
        }
    }

    @Test
    void vhostShowSaysTheDeviceCannotReportQueueState() throws Exception {
        try (Rig rig = Rig.overPci(dir, 1); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            fe.ring(0, 256, true);
            fe.ring(1, 256, true);
            fe.driverOk();
            assertThat(rig.info().session().rings().get(1).ready()).isTrue();
            assertThat(rig.info().queueState()).isEqualTo(VqStateSupport.INITIAL_ONLY);
            assertThat(rig.info().session().rings().get(1).lastAvail()).as("unknown").isEqualTo(-1);
            String text = VhostCommands.format(List.of(rig.info()));
            assertThat(text).contains("queue state: not reported by the device");
        }
    }

    /** Both rings running (TX of 8 entries), five frames sent to the peer on TX. */
    private static TestFrontend.Ring fiveSent(Rig rig, TestFrontend fe, long features) throws Exception {
        fe.negotiate(Rig.VERSION_1 | features, TestFrontend.ALL_PROTOCOL);
        fe.ring(0, 256, true);
        TestFrontend.Ring tx = fe.ring(1, 8, true);
        fe.driverOk();
        rig.toPeer(fe, tx, 5, 0);
        return tx;
    }
}
