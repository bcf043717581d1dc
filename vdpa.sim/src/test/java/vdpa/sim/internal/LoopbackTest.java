package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopbackTest {

    final Sim sim = new Sim();

    @AfterEach
    void close() {
        sim.close();
    }

    private void roundTrip(long features, int frames) {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, features, 256)) {
            drv.postRx(0, 200, 2048);
            long bytes = 0;
            int sent = 0;
            int received = 0;
            while (received < frames) {
                int batch = Math.min(64, frames - sent);
                for (int i = 0; i < batch; i++) {
                    int len = 60 + (sent * 37) % (1514 - 59);
                    drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, len, sent));
                    bytes += len;
                    sent++;
                }
                drv.awaitTx(0, batch);
                List<TestDriver.Frame> got = drv.receive(0, batch);
                for (TestDriver.Frame f : got) {
                    int len = 60 + (received * 37) % (1514 - 59);
                    assertThat(f.bytes()).as("frame %d", received).isEqualTo(TestDriver.frame(Sim.MAC_A, Sim.MAC_B, len, received));
                    assertThat(f.numBuffers()).isEqualTo(1);
                    received++;
                }
                drv.postRx(0, batch, 2048);
            }
            Map<String, Long> tx = dev.vendorVqStats(1);
            Map<String, Long> rx = dev.vendorVqStats(0);
            assertThat(tx).containsEntry("tx_frames", (long) frames).containsEntry("tx_bytes", bytes)
                    .containsEntry("tx_drop_link_down", 0L);
            assertThat(rx).containsEntry("rx_frames", (long) frames).containsEntry("rx_bytes", bytes)
                    .containsEntry("rx_wait_buffer", 0L).containsEntry("rx_drop_not_ready", 0L);
            assertThat(drv.interrupts[0].get()).isPositive();
        }
    }

    @Test
    void framesComeBackIntactAndInOrderOnASplitRing() {
        roundTrip(TestDriver.BASE, 1000);
    }

    @Test
    void framesComeBackIntactAndInOrderOnAPackedRingWithEventIdx() {
        roundTrip(TestDriver.BASE | TestDriver.PACKED | TestDriver.EVENT_IDX, 1000);
    }

    @Test
    void linkIsUpInConfigSpace() {
        SimNetDevice dev = sim.loopback(1);
        assertThat(dev.getConfig(6, 2)).containsExactly(1, 0);
        assertThat(dev.getConfig(0, 6)).containsExactly(2, 0, 0, 0, 0, 0x0a);
        assertThat(dev.getConfig(8, 4)).containsExactly(1, 0, 0xdc, 0x05);
    }
}
