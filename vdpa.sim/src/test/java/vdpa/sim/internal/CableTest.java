package vdpa.sim.internal;

import virtio.net.api.MacAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CableTest {

    final Sim sim = new Sim();

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void framesCrossTheCableIntactAndInOrderPerQueueBothWays() {
        SimNetDevice a = sim.device("a", Sim.MAC_A, 1500, 2, new LinkSpec.Cable("c1"));
        SimNetDevice b = sim.device("b", Sim.MAC_B, 1500, 2, new LinkSpec.Cable("c1"));
        try (TestDriver da = new TestDriver(a, TestDriver.BASE, 256); TestDriver db = new TestDriver(b, TestDriver.BASE, 256)) {
            assertThat(da.control(4, 0, (byte) 2, (byte) 0)).isZero();
            assertThat(db.control(4, 0, (byte) 2, (byte) 0)).isZero();
            for (int p = 0; p < 2; p++) {
                da.postRx(p, 100, 2048);
                db.postRx(p, 100, 2048);
            }
            int rounds = 20;
            int batch = 50;
            for (int r = 0; r < rounds; r++) {
                for (int p = 0; p < 2; p++) {
                    for (int i = 0; i < batch; i++) {
                        int seq = r * batch + i;
                        da.send(p, TestDriver.frame(Sim.MAC_B, Sim.MAC_A, 60 + seq % 1400 + p, seq));
                        db.send(p, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 1514 - seq % 1400 - p, seq));
                    }
                }
                for (int p = 0; p < 2; p++) {
                    da.awaitTx(p, batch);
                    db.awaitTx(p, batch);
                    List<TestDriver.Frame> atB = db.receive(p, batch);
                    List<TestDriver.Frame> atA = da.receive(p, batch);
                    for (int i = 0; i < batch; i++) {
                        int seq = r * batch + i;
                        assertThat(atB.get(i).bytes()).isEqualTo(TestDriver.frame(Sim.MAC_B, Sim.MAC_A, 60 + seq % 1400 + p, seq));
                        assertThat(atA.get(i).bytes()).isEqualTo(TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 1514 - seq % 1400 - p, seq));
                    }
                    da.postRx(p, batch, 2048);
                    db.postRx(p, batch, 2048);
                }
            }
            for (int p = 0; p < 2; p++) {
                assertThat(a.vendorVqStats(2 * p + 1).get("tx_frames")).isEqualTo(rounds * batch);
                assertThat(b.vendorVqStats(2 * p).get("rx_frames")).isEqualTo(rounds * batch);
                assertThat(a.vendorVqStats(2 * p).get("rx_frames")).isEqualTo(rounds * batch);
                assertThat(b.vendorVqStats(2 * p + 1).get("tx_bytes")).isEqualTo(a.vendorVqStats(2 * p).get("rx_bytes"));
            }
        }
    }

    @Test
    void aCableWithOneEndIsDownCountsDropsAndComesUpWithAConfigChange() {
        SimNetDevice a = sim.device("a", Sim.MAC_A, 1500, 1, new LinkSpec.Cable("c2"));
        try (TestDriver da = new TestDriver(a, TestDriver.BASE, 64)) {
            assertThat(a.getConfig(6, 2)).containsExactly(0, 0);
            int gen = a.getGeneration();
            da.send(0, TestDriver.frame(Sim.MAC_B, Sim.MAC_A, 60, 0));
            da.awaitTx(0, 1);
            assertThat(a.vendorVqStats(1)).containsEntry("tx_drop_link_down", 1L).containsEntry("tx_frames", 0L);
            SimNetDevice b = sim.device("b", Sim.MAC_B, 1500, 1, new LinkSpec.Cable("c2"));
            assertThat(a.getConfig(6, 2)).containsExactly(1, 0);
            assertThat(a.getGeneration()).isGreaterThan(gen);
            assertThat(da.configChanges.get()).isEqualTo(1);
            assertThat(b.getConfig(6, 2)).containsExactly(1, 0);
        }
    }

    @Test
    void aThirdEndIsRefused() {
        sim.device("a", Sim.MAC_A, 1500, 1, new LinkSpec.Cable("c3"));
        sim.device("b", Sim.MAC_B, 1500, 1, new LinkSpec.Cable("c3"));
        SimNetDevice c = new SimNetDevice(new NetParams("c", new virtio.net.api.MacAddress(3), 1500, 1, SimNetFeatures.OFFERED,
                new LinkSpec.Cable("c3")), sim.pool);
        assertThatThrownBy(() -> sim.links.plug(new LinkSpec.Cable("c3"), c.port)).hasMessageContaining("already joins a and b");
    }

    @Test
    void aReceiverOfSmallerMtuDropsOversizedFramesAndCountsThem() {
        SimNetDevice a = sim.device("a", Sim.MAC_A, 9000, 1, new LinkSpec.Cable("c4"));
        SimNetDevice b = sim.device("b", Sim.MAC_B, 1500, 1, new LinkSpec.Cable("c4"));
        try (TestDriver da = new TestDriver(a, TestDriver.BASE, 64); TestDriver db = new TestDriver(b, TestDriver.BASE, 64)) {
            db.postRx(0, 4, 2048);
            da.send(0, TestDriver.frame(Sim.MAC_B, Sim.MAC_A, 2000, 1));
            da.send(0, TestDriver.frame(Sim.MAC_B, Sim.MAC_A, 1514, 2));
            da.awaitTx(0, 2);
            assertThat(db.receive(0, 1).get(0).bytes()).hasSize(1514);
            assertThat(b.vendorVqStats(0)).containsEntry("rx_drop_oversize", 1L).containsEntry("rx_frames", 1L);
            assertThat(a.vendorVqStats(1)).containsEntry("tx_frames", 2L);
        }
    }
}
