package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Links are lossless under load: a receiver without buffers makes frames wait, a full FIFO
 * pauses the sender's TX queue and back-pressure reaches its driver as a full TX ring; frames are
 * dropped only when they can never be delivered. No assertion here depends on timing: every wait
 * is for a state the device must reach, bounded by progress.
 */
class FlowControlTest {

    final Sim sim = new Sim();

    @AfterEach
    void close() {
        sim.close();
    }

    private static long stat(SimNetDevice d, int vq, String name) {
        return d.vendorVqStats(vq).get(name);
    }

    /** Sends until the receiver's FIFO is full and the sender's TX ring refuses: the paused state. */
    private static void fillUntilPaused(Traffic t, SimNetDevice sender) {
        TestDriver.pump(t::send, () -> stat(sender, 1, "tx_frames") == FrameFifo.CAPACITY && t.refused > 0
                && stat(sender, 1, "tx_pause") > 0, t::toString);
    }

    private void burst(SimNetDevice a, SimNetDevice b, TestDriver da, TestDriver db) {
        int total = 64 + FrameFifo.CAPACITY + 300;
        Traffic t = new Traffic(da, Sim.MAC_A, db, Sim.MAC_B, 0, total);
        fillUntilPaused(t, a);
        // The receiver's worker counts its wait for buffers on its own thread, after the sender has
        // paused: wait until it has, then check it waited once and dropped nothing.
        TestDriver.await(() -> stat(b, 0, "rx_wait_buffer") > 0, "the receiver to wait for buffers");
        // paused, not dropping: the FIFO holds CAPACITY frames, the rest stays in the sender's ring
        assertThat(stat(b, 0, "rx_frames")).isZero();
        assertThat(stat(b, 0, "rx_wait_buffer")).isEqualTo(1);
        Traffic.assertNoDrops(b.vendorVqStats(0));
        assertThat(t.sent - t.reaped).as("chains left in the TX ring").isPositive();
        // the receiver posts 8 buffers at a time and takes what arrives; the sender keeps pushing
        while (t.received < total) {
            int want = Math.min(8, total - t.received);
            db.postRx(0, want, 2048);
            int before = t.received;
            TestDriver.pump(() -> t.send() + t.receive(false), () -> t.received == before + want, t::toString);
        }
        TestDriver.pump(t::send, t::done, t::toString);
        assertThat(stat(a, 1, "tx_frames")).isEqualTo(total);
        assertThat(stat(b, 0, "rx_frames")).isEqualTo(total);
        assertThat(stat(b, 0, "rx_bytes")).isEqualTo(t.bytes).isEqualTo(stat(a, 1, "tx_bytes"));
        Traffic.assertNoDrops(a.vendorVqStats(1));
        Traffic.assertNoDrops(b.vendorVqStats(0));
    }

    @Test
    void aBurstLargerThanRxRingAndFifoArrivesWhenTheReceiverPostsSlowlyAcrossACable() {
        SimNetDevice a = sim.device("a", Sim.MAC_A, 1500, 1, new LinkSpec.Cable("f1"));
        SimNetDevice b = sim.device("b", Sim.MAC_B, 1500, 1, new LinkSpec.Cable("f1"));
        try (TestDriver da = new TestDriver(a, TestDriver.BASE, 256); TestDriver db = new TestDriver(b, TestDriver.BASE, 64)) {
            burst(a, b, da, db);
        }
    }

    @Test
    void aBurstOnLoopbackPausesOnItsOwnFifoAndResumesWhenBuffersCome() {
        SimNetDevice a = sim.device("lo", Sim.MAC_B, 1500, 1, LinkSpec.LOOPBACK);
        try (TestDriver da = new TestDriver(a, TestDriver.BASE | TestDriver.PACKED | TestDriver.EVENT_IDX, 256)) {
            burst(a, a, da, da);
        }
    }

    @Test
    void twoDevicesSendingToEachOtherAtFullRateDeliverEverythingOnEveryQueue() {
        SimNetDevice a = sim.device("a", Sim.MAC_A, 1500, 2, new LinkSpec.Cable("f2"));
        SimNetDevice b = sim.device("b", Sim.MAC_B, 1500, 2, new LinkSpec.Cable("f2"));
        int n = 10_000;
        try (TestDriver da = new TestDriver(a, TestDriver.BASE, 128); TestDriver db = new TestDriver(b, TestDriver.BASE, 128)) {
            assertThat(da.control(4, 0, (byte) 2, (byte) 0)).isZero();
            assertThat(db.control(4, 0, (byte) 2, (byte) 0)).isZero();
            List<Traffic> flows = List.of(new Traffic(da, Sim.MAC_A, db, Sim.MAC_B, 0, n), new Traffic(da, Sim.MAC_A, db, Sim.MAC_B, 1, n),
                    new Traffic(db, Sim.MAC_B, da, Sim.MAC_A, 0, n), new Traffic(db, Sim.MAC_B, da, Sim.MAC_A, 1, n));
            for (int p = 0; p < 2; p++) {
                da.postRx(p, 128, 2048);
                db.postRx(p, 128, 2048);
            }
            TestDriver.pump(() -> flows.stream().mapToInt(t -> t.send() + t.receive(true)).sum(),
                    () -> flows.stream().allMatch(Traffic::done), flows::toString);
            for (int p = 0; p < 2; p++) {
                for (SimNetDevice[] ends : new SimNetDevice[][] {{a, b}, {b, a}}) {
                    assertThat(stat(ends[0], 2 * p + 1, "tx_frames")).isEqualTo(n);
                    assertThat(stat(ends[1], 2 * p, "rx_frames")).isEqualTo(n);
                    assertThat(stat(ends[1], 2 * p, "rx_bytes")).isEqualTo(stat(ends[0], 2 * p + 1, "tx_bytes"));
                    Traffic.assertNoDrops(ends[0].vendorVqStats(2 * p + 1));
                    Traffic.assertNoDrops(ends[1].vendorVqStats(2 * p));
                }
            }
        }
    }

    @Test
    void aDeviceSendingToItselfAtFullRateOnTwoQueuesNeverStalls() {
        SimNetDevice a = sim.loopback(2);
        int n = 10_000;
        try (TestDriver da = new TestDriver(a, TestDriver.BASE | TestDriver.MRG, 64)) {
            assertThat(da.control(4, 0, (byte) 2, (byte) 0)).isZero();
            List<Traffic> flows = List.of(new Traffic(da, Sim.MAC_B, da, Sim.MAC_A, 0, n), new Traffic(da, Sim.MAC_B, da, Sim.MAC_A, 1, n));
            da.postRx(0, 64, 2048);
            da.postRx(1, 64, 2048);
            TestDriver.pump(() -> flows.stream().mapToInt(t -> t.send() + t.receive(true)).sum(),
                    () -> flows.stream().allMatch(Traffic::done), flows::toString);
            for (int p = 0; p < 2; p++) {
                assertThat(stat(a, 2 * p + 1, "tx_frames")).isEqualTo(n);
                assertThat(stat(a, 2 * p, "rx_frames")).isEqualTo(n);
                Traffic.assertNoDrops(a.vendorVqStats(2 * p + 1));
                Traffic.assertNoDrops(a.vendorVqStats(2 * p));
            }
        }
    }

    @Test
    void aMergeableFrameLargerThanTheWholeReceiveRingIsDroppedAndCountedAndTheLinkGoesOn() {
        SimNetDevice a = sim.device("jumbo", Sim.MAC_A, 9000, 1, LinkSpec.LOOPBACK);
        try (TestDriver da = new TestDriver(a, TestDriver.BASE | TestDriver.MRG, 8)) {
            da.postRx(0, 8, 128); // 1 KiB of receive buffers in all
            da.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 4000, 1));
            TestDriver.await(() -> stat(a, 0, "rx_drop_buffer_small") == 1, "the jumbo frame is dropped");
            // its eight buffers come back empty; fresh ones carry the next frame through
            int[] empty = {0};
            TestDriver.await(() -> {
                for (Object t; (t = da.queues[0].pollUsed()) != null; ) {
                    empty[0] += da.queues[0].lastUsedLength() == 0 ? 1 : 100;
                }
                return empty[0] >= 8;
            }, "the held buffers come back");
            assertThat(empty[0]).isEqualTo(8);
            da.postRx(0, 8, 128);
            da.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 200, 2));
            TestDriver.await(() -> stat(a, 0, "rx_frames") == 1, "the next frame arrives");
            assertThat(stat(a, 1, "tx_frames")).isEqualTo(2);
        }
    }

    @Test
    void resettingAReceiverDropsWhatWaitsInItsFifoAndReleasesThePausedSender() {
        SimNetDevice a = sim.device("a", Sim.MAC_A, 1500, 1, new LinkSpec.Cable("f3"));
        SimNetDevice b = sim.device("b", Sim.MAC_B, 1500, 1, new LinkSpec.Cable("f3"));
        int total = FrameFifo.CAPACITY + 200;
        try (TestDriver da = new TestDriver(a, TestDriver.BASE, 256); TestDriver db = new TestDriver(b, TestDriver.BASE, 64)) {
            Traffic t = new Traffic(da, Sim.MAC_A, db, Sim.MAC_B, 0, total);
            fillUntilPaused(t, a);
            assertThat(stat(b, 0, "rx_drop_not_ready")).isZero();
            b.reset();
            // the FIFO's frames at once (the woken sender may already be adding its own)
            assertThat(stat(b, 0, "rx_drop_not_ready")).isGreaterThanOrEqualTo(FrameFifo.CAPACITY);
            // the sender is woken, and what it still sends can never be delivered either
            TestDriver.pump(t::send, () -> t.reaped == total, t::toString);
            assertThat(stat(a, 1, "tx_frames")).isEqualTo(total);
            assertThat(stat(b, 0, "rx_drop_not_ready")).isEqualTo(total);
            assertThat(stat(b, 0, "rx_frames")).isZero();
        }
    }

    @Test
    void aSuspendedReceiverBackPressuresInsteadOfDroppingAndResumeDeliversEverything() {
        SimNetDevice a = sim.device("a", Sim.MAC_A, 1500, 1, new LinkSpec.Cable("f4"));
        SimNetDevice b = sim.device("b", Sim.MAC_B, 1500, 1, new LinkSpec.Cable("f4"));
        int total = FrameFifo.CAPACITY + 300;
        try (TestDriver da = new TestDriver(a, TestDriver.BASE, 256); TestDriver db = new TestDriver(b, TestDriver.BASE, 64)) {
            db.postRx(0, 64, 2048);
            b.suspend();
            Traffic t = new Traffic(da, Sim.MAC_A, db, Sim.MAC_B, 0, total);
            fillUntilPaused(t, a);
            assertThat(stat(b, 0, "rx_frames")).isZero();
            Traffic.assertNoDrops(b.vendorVqStats(0));
            b.resume();
            TestDriver.pump(() -> t.send() + t.receive(true), t::done, t::toString);
            assertThat(stat(b, 0, "rx_frames")).isEqualTo(total);
            Traffic.assertNoDrops(b.vendorVqStats(0));
        }
    }
}
