package vhost.uapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import linux.ffm.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vdpa.sim.internal.TestDriver;
import virtio.ring.DmaBuffer;
import vhost.uapi.internal.proto.ProtocolError;

/**
 * A front-end that shrinks its memory file under a running ring (its memfd is not sealed against
 * shrinking): the device's next access there faults (the JVM turns the SIGBUS into an
 * InternalError in the device's thread). The connection is closed with the reason, the device reset,
 * and the device and its peer serve the next front-end.
 */
class TruncatedMemoryTest {

    @TempDir
    Path dir;

    @Test
    void aMemoryFileShrunkUnderARunningRingClosesTheConnectionAndTheDeviceServesTheNext() throws Exception {
        try (Rig rig = new Rig(dir, 1)) {
            try (TestFrontend fe = rig.frontend()) {
                fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
                TestFrontend.Ring rx = fe.ring(0, 256, true);
                TestFrontend.Ring tx = fe.ring(1, 256, true);
                fe.driverOk();
                assertThat(rig.info().session().regions().get(0).seals()).as("a memfd made without MFD_ALLOW_SEALING").isEqualTo("seal");
                rig.toPeer(fe, tx, 10, 0);
                // receive buffers above 6 MiB (the rings lie below), then the file is cut to 4 MiB under them
                DmaBuffer filler = fe.pool.allocate(6 << 20, 4096);
                fe.postRx(rx, 16, 2048);
                Files.truncate(fe.memfd, 4 << 20);
                for (int i = 0; i < 4; i++) {
                    rig.peer.trySend(0, TestDriver.frame(Rig.MAC_A, Rig.MAC_B, 100, i));
                }
                rig.awaitListening();
                assertThat(rig.info().errors()).containsEntry(ProtocolError.REGION_SHRUNK, 1L);
                assertThat(rig.info().lastDisconnect()).contains("shrank").contains("F_SEAL_SHRINK");
                fe.pool.free(filler);
            }
            rig.drainPeer();
            try (TestFrontend next = rig.frontend()) {
                next.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
                TestFrontend.Ring rx = next.ring(0, 256, true);
                TestFrontend.Ring tx = next.ring(1, 256, true);
                next.postRx(rx, 64, 2048);
                next.driverOk();
                rig.toPeer(next, tx, 20, 100);
                rig.fromPeer(next, rx, 20);
            }
        }
    }
}
