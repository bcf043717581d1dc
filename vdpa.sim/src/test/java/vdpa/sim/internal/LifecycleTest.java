package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VqState;
import virtio.ring.BufferChain;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/** Status machine, NEEDS_RESET, suspend/resume, vq state and reset. */
class LifecycleTest {

    private static final int ACK = DeviceStatus.ACKNOWLEDGE.value();
    private static final int DRV = DeviceStatus.DRIVER.value();
    private static final int FOK = DeviceStatus.FEATURES_OK.value();

    final Sim sim = new Sim();

    @AfterEach
    void close() {
        sim.close();
    }

    private static int negotiate(VdpaDevice dev, long features) {
        dev.reset();
        dev.setStatus(ACK);
        dev.setStatus(ACK | DRV);
        dev.setDriverFeatures(features);
        dev.setStatus(ACK | DRV | FOK);
        return dev.getStatus();
    }

    @Test
    void featuresOkIsRefusedForUnofferedMissingVersion1OrBrokenDependencies() {
        SimNetDevice dev = sim.loopback(1);
        assertThat(negotiate(dev, TestDriver.BASE) & FOK).isEqualTo(FOK);
        assertThat(negotiate(dev, TestDriver.BASE | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_CSUM)) & FOK)
                .as("CSUM not offered").isZero();
        assertThat(negotiate(dev, TestDriver.BASE & ~VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1)) & FOK)
                .as("no VERSION_1").isZero();
        long rxWithoutCvq = TestDriver.BASE & ~VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_CTRL_VQ);
        assertThat(negotiate(dev, rxWithoutCvq) & FOK).as("CTRL_RX without CTRL_VQ").isZero();
        dev.setStatus(dev.getStatus() | DeviceStatus.DRIVER_OK.value());
        assertThat(DeviceStatus.DRIVER_OK.in(dev.getStatus())).as("DRIVER_OK without FEATURES_OK").isFalse();
    }

    @Test
    void aHostileChainSetsNeedsResetAndResetRecovers() {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            drv.queues[1].add(new BufferChain(1).readable(0xdead_0000L, 64), "hostile");
            dev.kickVq(1);
            TestDriver.await(() -> DeviceStatus.DEVICE_NEEDS_RESET.in(dev.getStatus()), "DEVICE_NEEDS_RESET");
            assertThat(drv.configChanges.get()).isEqualTo(1);
            assertThat(dev.ringErrors.total()).isEqualTo(1);
        }
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            assertThat(dev.getStatus()).isEqualTo(15);
            drv.postRx(0, 2, 2048);
            drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 64, 1));
            assertThat(drv.receive(0, 1)).hasSize(1);
        }
    }

    @Test
    void aReadyQueueWithoutAddressesSetsNeedsResetAtDriverOk() {
        SimNetDevice dev = sim.loopback(1);
        negotiate(dev, TestDriver.BASE);
        dev.setVqReady(1, true);
        dev.setStatus(15);
        TestDriver.await(() -> DeviceStatus.DEVICE_NEEDS_RESET.in(dev.getStatus()), "DEVICE_NEEDS_RESET");
    }

    @Test
    void suspendStopsTheDatapathWithoutLosingStateAndResumeContinues() {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            drv.postRx(0, 8, 2048);
            drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 64, 1));
            drv.receive(0, 1);
            dev.suspend();
            VqState before = dev.getVqState(1);
            assertThat(before).isEqualTo(new VqState.Split(1));
            drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 64, 2));
            assertThat(dev.getVqState(1)).as("nothing is taken while suspended").isEqualTo(before);
            dev.setVqState(1, before);
            dev.resume();
            assertThat(RxPathTest.seqs(drv.receive(0, 1))).containsExactly(2);
            assertThat(dev.getVqState(1)).isEqualTo(new VqState.Split(2));
        }
    }

    @Test
    void aQueueMovesToAnotherDeviceAtItsState() {
        SimNetDevice a = sim.loopback(1);
        SimNetDevice b = sim.loopback(1);
        try (TestDriver drv = new TestDriver(a, TestDriver.BASE | TestDriver.PACKED, 64)) {
            drv.postRx(0, 16, 2048);
            for (int i = 0; i < 3; i++) {
                drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 64, i));
            }
            drv.receive(0, 3);
            drv.awaitTx(0, 3);
            a.suspend();
            VqState rx = a.getVqState(0);
            VqState tx = a.getVqState(1);
            assertThat(tx).isInstanceOf(VqState.Packed.class);
            // b takes over the same rings at the same positions
            negotiate(b, drv.features);
            b.dmaMap(0, new vdpa.bus.IotlbMapping(TestDriver.IOVA, drv.pool.size(), TestDriver.IOVA,
                    vdpa.bus.IotlbPermission.RW, drv.pool.segment()));
            for (int q = 0; q < 2; q++) {
                b.setVqNum(q, 64);
                b.setVqAddress(q, drv.queues[q].descAddress(), drv.queues[q].driverAddress(), drv.queues[q].deviceAddress());
                b.setVqState(q, q == 0 ? rx : tx);
                b.setVqReady(q, true);
            }
            b.setStatus(15);
            // the driver's queues now talk to b
            drv.send(0, TestDriver.frame(Sim.MAC_A, Sim.MAC_B, 64, 3));
            // the fixture still kicks a: kick b, or this would wait on the worker's idle timeout
            b.kickVq(1);
            TestDriver.await(() -> b.vendorVqStats(0).get("rx_frames") == 1, "b receives");
            assertThat(b.vendorVqStats(1)).containsEntry("tx_frames", 1L);
            b.reset();
        }
    }

    @Test
    void resetClearsDriverStateButKeepsMappingsUnlessCleanMap() {
        SimNetDevice dev = sim.loopback(1);
        try (TestDriver drv = new TestDriver(dev, TestDriver.BASE, 64)) {
            dev.reset();
            assertThat(dev.getStatus()).isZero();
            assertThat(dev.getDriverFeatures()).isZero();
            assertThat(dev.getVqReady(0)).isFalse();
            assertThat(dev.getVqState(1)).isEqualTo(new VqState.Split(0));
            assertThat(dev.space.mappings()).hasSize(1);
            dev.compatReset(VdpaDevice.RESET_F_CLEAN_MAP);
            assertThat(dev.space.mappings()).isEmpty();
            dev.setMap(0, new vdpa.bus.Iotlb(java.util.List.of(new vdpa.bus.IotlbMapping(TestDriver.IOVA, drv.pool.size(),
                    TestDriver.IOVA, vdpa.bus.IotlbPermission.RW, drv.pool.segment()))));
            assertThat(dev.space.mappings()).hasSize(1);
            // a set_map the address space refuses (WRITE on read-only memory) leaves the old table whole
            var refused = new vdpa.bus.Iotlb(java.util.List.of(
                    new vdpa.bus.IotlbMapping(TestDriver.IOVA, 4096, TestDriver.IOVA, vdpa.bus.IotlbPermission.RW,
                            drv.pool.segment()),
                    new vdpa.bus.IotlbMapping(TestDriver.IOVA + 8192, 4096, TestDriver.IOVA, vdpa.bus.IotlbPermission.RW,
                            drv.pool.segment().asSlice(8192, 4096).asReadOnly())));
            assertThatThrownBy(() -> dev.setMap(0, refused)).isInstanceOf(IllegalArgumentException.class);
            assertThat(dev.space.mappings()).hasSize(1);
            assertThat(dev.space.mappings().get(0).size()).isEqualTo(drv.pool.size());
            dev.resetMap(0);
            assertThat(dev.space.mappings()).isEmpty();
        }
    }

    @Test
    void hostileConfigAccessIsRefusedAndCounted() {
        SimNetDevice dev = sim.loopback(1);
        int gen = dev.getGeneration();
        byte[] before = dev.getConfig(0, dev.getConfigSize());
        dev.setConfig(0, new byte[] {9, 9, 9, 9, 9, 9});
        assertThatThrownBy(() -> dev.setConfig(Integer.MAX_VALUE, new byte[2]))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(dev.getConfig(0, dev.getConfigSize())).isEqualTo(before);
        assertThat(dev.getGeneration()).isEqualTo(gen);
        assertThat(dev.configRefused()).isEqualTo(2);
    }
}
