package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A busy queue asks its driver not to kick, and asks again when it runs dry, with every ring
 * kind: a driver that kicks only when asked (as Linux's and DPDK's do) sends no kick to a queue
 * that will come back by itself, and never one too few (every frame arrives).
 */
class KickSuppressionTest {

    final Sim sim = new Sim();

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void splitRing() {
        pausedQueueTakesNoKicksAndADryOneAsksAgain(TestDriver.BASE, "c1");
    }

    @Test
    void splitRingWithEventIdx() {
        pausedQueueTakesNoKicksAndADryOneAsksAgain(TestDriver.BASE | TestDriver.EVENT_IDX, "c2");
    }

    @Test
    void packedRing() {
        pausedQueueTakesNoKicksAndADryOneAsksAgain(TestDriver.BASE | TestDriver.PACKED, "c3");
    }

    @Test
    void packedRingWithEventIdx() {
        pausedQueueTakesNoKicksAndADryOneAsksAgain(TestDriver.BASE | TestDriver.PACKED | TestDriver.EVENT_IDX, "c4");
    }

    private void pausedQueueTakesNoKicksAndADryOneAsksAgain(long features, String cable) {
        SimNetDevice a = sim.device("a" + cable, Sim.MAC_A, 1500, 1, new LinkSpec.Cable(cable));
        SimNetDevice b = sim.device("b" + cable, Sim.MAC_B, 1500, 1, new LinkSpec.Cable(cable));
        try (TestDriver da = new TestDriver(a, features, 256); TestDriver db = new TestDriver(b, features, 256)) {
            da.kickOnlyWhenAsked = true;
            db.kickOnlyWhenAsked = true;
            // b posts no buffer: its FIFO fills and a's TX queue pauses on it
            Traffic t = new Traffic(da, Sim.MAC_A, db, Sim.MAC_B, 0, 1_000);
            // one frame more than b's FIFO holds, so the TX ring has room left when the queue pauses
            TestDriver.pump(() -> {
                int moved = 0;
                while (t.sent <= FrameFifo.CAPACITY && da.trySend(0, t.frame(t.sent))) {
                    t.sent++;
                    moved++;
                }
                int back = da.reapTx(0);
                t.reaped += back;
                return moved + back;
                // paused, and every frame b took is back: the ring has room (a packed ring's used slots are reaped)
            }, () -> a.vendorVqStats(1).get("tx_pause") == 1 && t.reaped == FrameFifo.CAPACITY, t::toString);
            long kicks = a.vendorVqStats(1).get("kicks");
            int more = 0;
            while (more < 20 && da.trySend(0, t.frame(t.sent))) {
                t.sent++;
                more++;
            }
            assertThat(more).as("frames added to the paused queue").isPositive();
            assertThat(a.vendorVqStats(1).get("kicks")).as("kicks for the %d frames added while paused", more).isEqualTo(kicks);
            // b receives everything: a resumes by the peer's wake-up alone, drains, runs dry, asks for kicks again
            db.postRx(0, 128, 2048);
            TestDriver.pump(() -> t.send() + t.receive(true), t::done, t::toString);
            assertThat(b.vendorVqStats(0).get("rx_frames")).isEqualTo(1_000);
            long afterDrain = a.vendorVqStats(1).get("kicks");
            da.send(0, TestDriver.frame(Sim.MAC_B, Sim.MAC_A, 60, 1));
            assertThat(a.vendorVqStats(1).get("kicks")).as("a dry queue asks for the next frame's kick").isEqualTo(afterDrain + 1);
            assertThat(db.receive(0, 1)).hasSize(1);
            Traffic.assertNoDrops(b.vendorVqStats(0));
        }
    }
}
