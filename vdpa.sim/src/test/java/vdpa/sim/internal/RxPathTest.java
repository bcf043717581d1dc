package vdpa.sim.internal;

import virtio.net.api.MacAddress;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Receive buffers: mergeable, too few (the frame waits), too small, none (frames wait); and the RX filter. */
class RxPathTest {

    final Sim sim = new Sim();

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aMergeableFrameSpansBuffersAndSaysHowMany() {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE | TestDriver.MRG, 64)) {
            drv.postRx(0, 8, 512);
            byte[] f = TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 1514, 7);
            drv.send(0, f);
            List<TestDriver.Frame> got = drv.receive(0, 1);
            assertThat(got.get(0).numBuffers()).isEqualTo(3); // 12 + 1514 bytes in 512-byte buffers
            assertThat(got.get(0).bytes()).isEqualTo(f);
        }
    }

    @Test
    void tooFewBuffersMakeAMergeableFrameWaitHoldingThemUntilTheDriverPostsMore() {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE | TestDriver.MRG, 64)) {
            drv.postRx(0, 2, 512);
            byte[] f1 = TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 1514, 1);
            drv.send(0, f1);
            drv.awaitTx(0, 1);
            TestDriver.await(() -> dev.vendorVqStats(0).get("rx_wait_buffer") == 1, "the wait");
            assertThat(drv.queues[0].pollUsed()).as("the two buffers are held, not returned").isNull();
            drv.postRx(0, 1, 512);
            List<TestDriver.Frame> got = drv.receive(0, 1);
            assertThat(got.get(0).bytes()).isEqualTo(f1);
            assertThat(got.get(0).numBuffers()).isEqualTo(3);
            byte[] f2 = TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 1514, 2);
            drv.send(0, f2);
            TestDriver.await(() -> dev.vendorVqStats(0).get("rx_wait_buffer") == 2, "the second wait");
            drv.postRx(0, 3, 512);
            assertThat(drv.receive(0, 1).get(0).bytes()).isEqualTo(f2);
            assertThat(dev.vendorVqStats(0)).containsEntry("rx_frames", 2L);
            Traffic.assertNoDrops(dev.vendorVqStats(0));
        }
    }

    @Test
    void withoutBuffersFramesWaitInTheFifoAndArriveInOrderWhenBuffersCome() {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            for (int i = 0; i < 10; i++) {
                drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 100, i));
            }
            drv.awaitTx(0, 10);
            TestDriver.await(() -> dev.vendorVqStats(0).get("rx_wait_buffer") == 1, "the wait");
            assertThat(dev.vendorVqStats(1)).containsEntry("tx_frames", 10L).containsEntry("tx_pause", 0L);
            assertThat(dev.vendorVqStats(0)).containsEntry("rx_frames", 0L);
            drv.postRx(0, 10, 2048);
            assertThat(seqs(drv.receive(0, 10))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(dev.vendorVqStats(0)).containsEntry("rx_frames", 10L).containsEntry("rx_wait_buffer", 1L);
            Traffic.assertNoDrops(dev.vendorVqStats(0));
        }
    }

    @Test
    void aBufferTooSmallWithoutMergeableComesBackEmpty() {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            drv.postRx(0, 1, 100);
            drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 200, 1));
            TestDriver.await(() -> drv.queues[0].pollUsed() != null, "the empty buffer");
            assertThat(drv.queues[0].lastUsedLength()).isZero();
            assertThat(dev.vendorVqStats(0)).containsEntry("rx_drop_buffer_small", 1L);
        }
    }

    @Test
    void oversizedTransmitIsDroppedAtTheSender() {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 1515, 1));
            drv.send(0, new byte[13]);
            drv.awaitTx(0, 2);
            assertThat(dev.vendorVqStats(1)).containsEntry("tx_drop_oversize", 1L).containsEntry("tx_drop_malformed", 1L)
                    .containsEntry("tx_frames", 0L);
        }
    }

    @Test
    void theRxFilterFollowsTheControlQueue() {
        SimNetDevice dev = sim.loopback(1);
        long other = 0x02_00_00_00_00_99L;
        long group = 0x01_00_5e_00_00_01L;
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            drv.postRx(0, 32, 2048);
            assertThat(drv.control(0, 0, (byte) 0)).isZero(); // PROMISC off
            drv.send(0, TestDriver.frame(other, Sim.MAC_B, 60, 1));
            drv.send(0, TestDriver.frame(group, Sim.MAC_B, 60, 2));
            drv.send(0, TestDriver.frame(0xffff_ffff_ffffL, Sim.MAC_B, 60, 3));
            drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 60, 4));
            assertThat(seqs(drv.receive(0, 2))).containsExactly(3, 4);
            assertThat(dev.vendorVqStats(0)).containsEntry("rx_drop_filter_unicast", 1L)
                    .containsEntry("rx_drop_filter_multicast", 1L);
            // MAC TABLE_SET: one unicast (other), one multicast (group)
            byte[] table = new byte[4 + 6 + 4 + 6];
            table[0] = 1;
            System.arraycopy(mac(other), 0, table, 4, 6);
            table[10] = 1;
            System.arraycopy(mac(group), 0, table, 14, 6);
            assertThat(drv.control(1, 0, table)).isZero();
            drv.send(0, TestDriver.frame(other, Sim.MAC_B, 60, 5));
            drv.send(0, TestDriver.frame(group, Sim.MAC_B, 60, 6));
            drv.send(0, TestDriver.frame(0x01_00_5e_00_00_02L, Sim.MAC_B, 60, 7));
            assertThat(drv.control(0, 1, (byte) 1)).isZero(); // ALLMULTI on
            drv.send(0, TestDriver.frame(0x01_00_5e_00_00_02L, Sim.MAC_B, 60, 8));
            assertThat(seqs(drv.receive(0, 3))).containsExactly(5, 6, 8);
            assertThat(dev.vendorVqStats(0)).containsEntry("rx_drop_filter_multicast", 2L);
        }
    }

    static List<Integer> seqs(List<TestDriver.Frame> frames) {
        return frames.stream().map(f -> ((f.bytes()[14] & 0xff) << 24) | ((f.bytes()[15] & 0xff) << 16)
                | ((f.bytes()[16] & 0xff) << 8) | (f.bytes()[17] & 0xff)).toList();
    }

    static byte[] mac(long v) {
        return new virtio.net.api.MacAddress(v).octets();
    }
}
