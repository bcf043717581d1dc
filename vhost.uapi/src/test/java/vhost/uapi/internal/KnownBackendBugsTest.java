package vhost.uapi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import linux.ffm.LinuxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vdpa.bus.VdpaVendorStatsOps;
import vdpa.sim.internal.TestDriver;
import vhost.uapi.internal.proto.ProtocolError;
import vhost.uapi.internal.proto.Request;
import vhost.uapi.internal.proto.Wire;

/** Bugs users of other vhost-user backends have hit, each pinned down. */
class KnownBackendBugsTest {

    @TempDir
    Path dir;

    @Test
    void aKickBeforeSetVringEnableIsNotLost() throws Exception {
        try (Rig rig = new Rig(dir, 1); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, 256, false);
            fe.driverOk();
            rig.peer.postRx(0, 8, 2048);
            // protocol features negotiated: the ring starts disabled; the front-end posts and kicks anyway
            assertThat(fe.send(tx, TestDriver.frame(Rig.MAC_B, Rig.MAC_A, 100, 1))).isTrue();
            tx.kick.write(1);
            TestFrontend.await(() -> rig.info().session().rings().get(1).kicks() >= 1, "the kick to be taken");
            long deviceKicks = kicks(rig, 1);
            fe.enable(1, true);
            rig.peer.receive(0, 1);
            assertThat(kicks(rig, 1)).as("the kick reached the device once the ring was ready").isGreaterThan(deviceKicks);
        }
    }

    private static long kicks(Rig rig, int ring) {
        return ((VdpaVendorStatsOps) rig.served).vendorVqStats(ring).get("kicks");
    }

    @Test
    void getVringBaseStopsTheRingAtItsIndexAndItResumesThereSplit() throws Exception {
        resumes(0, 8, 5, 5);
    }

    @Test
    void getVringBaseStopsTheRingAtItsIndexAndItResumesTherePacked() throws Exception {
        // 11 chains of 2 descriptors on a ring of 8: offset 22 mod 8 = 6, the wrap counter flipped twice (back to 1)
        long base = resumes(Rig.PACKED, 8, 11, 6 | 0x8000 | (6 << 16) | 0x8000_0000L);
        assertThat(base).isEqualTo(6 | 0x8000 | (6L << 16) | 0x8000_0000L);
    }

    /** Sends {@code n}, stops the ring with GET_VRING_BASE, resumes it at that base, sends {@code n} more. */
    private long resumes(long features, int size, int n, long expectedBase) throws Exception {
        try (Rig rig = new Rig(dir, 1); TestFrontend fe = rig.frontend()) {
            fe.negotiate(Rig.VERSION_1 | features, TestFrontend.ALL_PROTOCOL);
            fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, size, true);
            fe.driverOk();
            rig.toPeer(fe, tx, n, 0);
            TestFrontend.await(() -> {
                fe.reapTx(tx);
                return tx.queue.freeDescriptors() == size;
            }, "every TX buffer back");
            long base = fe.getVringBase(1);
            assertThat(base).isEqualTo(expectedBase);
            assertThat(rig.info().session().rings().get(1).ready()).isFalse();
            // a second GET_VRING_BASE of the stopped ring still says the same: nothing was reset
            assertThat(fe.getVringBase(1)).isEqualTo(base);
            fe.call(Request.SET_VRING_BASE, fe.state(1, base), List.of());
            fe.call(Request.SET_VRING_KICK, fe.u64(1), List.of(tx.kick.fd()));
            rig.toPeer(fe, tx, n, n);
            assertThat(rig.peer.poll(0)).as("no frame delivered twice").isEmpty();
            return base;
        }
    }

    @Test
    void aBackendThatLostItsFrontendListensAgainWithoutRecreatingTheSocket() throws Exception {
        try (Rig rig = new Rig(dir, 1)) {
            Object inode = Files.getAttribute(rig.socket, "unix:ino");
            TestFrontend first = rig.frontend();
            assertThat(first.getU64(Request.GET_FEATURES)).isNotZero();
            // a second front-end connects while the first is served: it waits in the backlog
            TestFrontend second = rig.frontend();
            first.close();
            assertThat(second.getU64(Request.GET_FEATURES)).as("the waiting client is served next").isNotZero();
            assertThat(Files.getAttribute(rig.socket, "unix:ino")).isEqualTo(inode);
            assertThat(rig.info().connections()).isEqualTo(2);
            second.close();
            rig.awaitListening();
            try (TestFrontend third = rig.frontend()) {
                assertThat(third.getU64(Request.GET_FEATURES)).isNotZero();
            }
        }
    }

    @Test
    void aFrontendWhoseMemoryIsNotSharedIsToldWhy() throws Exception {
        try (Rig rig = new Rig(dir, 1); TestFrontend fe = rig.frontend()) {
            fe.send(Request.SET_FEATURES, 0, fe.u64(Rig.VERSION_1), List.of());
            MemorySegment t = fe.arena.allocate(8 + Wire.REGION_SIZE, 8);
            t.set(ValueLayout.JAVA_INT, 0, 1);
            t.set(ValueLayout.JAVA_LONG, 8, TestFrontend.GPA);
            t.set(ValueLayout.JAVA_LONG, 16, TestFrontend.MEMORY);
            t.set(ValueLayout.JAVA_LONG, 24, fe.pool.segment().address());
            // anonymous memory: there is no descriptor to send
            fe.send(Request.SET_MEM_TABLE, 0, t, List.of());
            assertThatThrownBy(fe::reply).isInstanceOf(LinuxException.class);
            rig.awaitListening();
            assertThat(rig.info().errors()).containsEntry(ProtocolError.MEMORY_NOT_SHARED, 1L);
            assertThat(rig.info().lastDisconnect()).contains("memory must be shared").contains("share=on");
        }
    }
}
