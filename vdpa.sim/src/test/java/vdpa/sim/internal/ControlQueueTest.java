package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

class ControlQueueTest {

    final Sim sim = new Sim();

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void commandsAreAckedOkOrErr() {
        SimNetDevice dev = sim.loopback(2);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            assertThat(drv.control(0, 0, (byte) 1)).isZero();
            assertThat(drv.control(0, 0, (byte) 1, (byte) 0)).as("bad length").isEqualTo(1);
            assertThat(drv.control(0, 2, (byte) 1)).as("ALLUNI needs CTRL_RX_EXTRA").isEqualTo(1);
            assertThat(drv.control(9, 0)).as("unknown class").isEqualTo(1);
            assertThat(drv.control(4, 0, (byte) 0, (byte) 0)).as("0 pairs").isEqualTo(1);
            assertThat(drv.control(4, 0, (byte) 3, (byte) 0)).as("above max").isEqualTo(1);
            assertThat(drv.control(4, 0, (byte) 2, (byte) 0)).isZero();
            assertThat(drv.control(1, 0, new byte[] {5, 0, 0, 0})).as("table overruns").isEqualTo(1);
            assertThat(dev.vendorVqStats(4)).containsEntry("ctrl_ok", 2L).containsEntry("ctrl_err", 6L);
        }
    }

    @Test
    void macAddrSetChangesConfigAndTellsTheDriver() {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            int gen = dev.getGeneration();
            assertThat(drv.control(1, 1, RxPathTest.mac(0x02_00_00_00_00_42L))).isZero();
            assertThat(dev.getConfig(0, 6)).containsExactly(2, 0, 0, 0, 0, 0x42);
            assertThat(dev.getGeneration()).isGreaterThan(gen);
            assertThat(drv.configChanges.get()).isEqualTo(1);
            assertThat(drv.control(1, 1, RxPathTest.mac(0x01_00_00_00_00_01L))).as("multicast address").isEqualTo(1);
            dev.reset();
            assertThat(dev.getConfig(0, 6)).as("reset restores the configured MAC").containsExactly(2, 0, 0, 0, 0, 0x0a);
        }
    }

    @Test
    void withTwoPairsFramesStayOnTheirQueuePair() {
        SimNetDevice dev = sim.loopback(2);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            assertThat(drv.control(4, 0, (byte) 2, (byte) 0)).isZero();
            drv.postRx(0, 8, 2048);
            drv.postRx(1, 8, 2048);
            drv.send(1, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 80, 11));
            drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 80, 10));
            assertThat(RxPathTest.seqs(drv.receive(1, 1))).containsExactly(11);
            assertThat(RxPathTest.seqs(drv.receive(0, 1))).containsExactly(10);
        }
    }

    @Test
    void withoutMqEverythingIsOnePairAndTheControlQueueIsIndexTwo() {
        SimNetDevice dev = sim.loopback(2);
        long noMq = TestDriver.BASE & ~VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MQ);
        try (TestDriver drv = new TestDriver(dev, noMq, 64)) {
            assertThat(drv.ctrl()).isEqualTo(2);
            assertThat(drv.control(0, 0, (byte) 0)).isZero();
            assertThat(drv.control(4, 0, (byte) 2, (byte) 0)).as("MQ not negotiated").isEqualTo(1);
            assertThat(dev.vendorVqStats(2)).containsKey("ctrl_ok");
        }
    }
}
