package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CSUM;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_RX;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_VLAN;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_VQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_GUEST_TSO4;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MTU;

import java.util.Map;
import org.junit.jupiter.api.Test;
import virtio.net.api.LinkState;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDeviceConstants;
import virtio.net.api.NetDeviceException;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;

/** What probe negotiates, reads and publishes. */
class NegotiationTest {

    @Test
    void negotiatesTheDriversTableAndNothingElse() throws Exception {
        long extra = VirtioFeatures.bits(VIRTIO_NET_F_CSUM, VIRTIO_NET_F_GUEST_TSO4,
                VIRTIO_NET_F_CTRL_VLAN);
        try (Harness h = new Harness(Harness.ALL | Harness.PACKED | extra, 1500, 1, 64, Settings.DEFAULTS)) {
            h.probe();
            long f = h.device.driverFeatures();
            assertThat(f & extra).isZero();
            assertThat(f).isEqualTo(Harness.ALL | Harness.PACKED | VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1));
            assertThat(h.device.getStatus()).isEqualTo(DeviceStatus.bits(java.util.EnumSet.of(DeviceStatus.ACKNOWLEDGE,
                    DeviceStatus.DRIVER, DeviceStatus.FEATURES_OK, DeviceStatus.DRIVER_OK)));
        }
    }

    @Test
    void setsUpEveryPairAndTheControlQueueAfterThem() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 3, 64, Settings.DEFAULTS)) {
            h.probe();
            assertThat(h.device.configs.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
            assertThat(h.device.configs.get(6).name()).isEqualTo("control");
            assertThat(h.device.configs.get(0).name()).isEqualTo("input.0");
            assertThat(h.device.configs.get(5).name()).isEqualTo("output.2");
            assertThat(h.device.configs.values()).allSatisfy(q -> assertThat(q.size()).isEqualTo(64));
        }
    }

    @Test
    void publishesConfigFromTheDeviceAsServiceProperties() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 9000, 2, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            assertThat(net.name()).isEqualTo("eth0");
            assertThat(net.mac()).isEqualTo(Harness.MAC);
            assertThat(net.mtu()).isEqualTo(9000);
            assertThat(net.maxFrameLength()).isEqualTo(9014);
            assertThat(net.link()).isEqualTo(LinkState.UP);
            assertThat(net.queuePairs()).isEqualTo(2);
            assertThat(h.services.get("eth0")).containsEntry(NetDeviceConstants.NET_NAME, "eth0")
                    .containsEntry(NetDeviceConstants.NET_MAC, "52:54:00:12:34:56")
                    .containsEntry(NetDeviceConstants.NET_MTU, 9000)
                    .containsEntry(NetDeviceConstants.NET_LINK, "up")
                    .containsEntry(NetDeviceConstants.NET_QUEUES, 2)
                    .containsEntry(NetDeviceConstants.NET_VIRTIO_DEVICE, "virtio0")
                    .containsEntry(NetDeviceConstants.NET_DRIVER, "virtio_net");
        }
    }

    @Test
    void withoutCtrlVqItsDependentFeaturesAreClearedAndControlIsUnsupported() throws Exception {
        long noCvq = Harness.ALL & ~VirtioFeatures.bit(VIRTIO_NET_F_CTRL_VQ);
        try (Harness h = new Harness(noCvq, 1500, 2, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            long f = h.device.driverFeatures();
            assertThat(f & VirtioFeatures.bits(VIRTIO_NET_F_CTRL_RX, VIRTIO_NET_F_MQ,
                    VIRTIO_NET_F_CTRL_MAC_ADDR)).isZero();
            assertThat(net.queuePairs()).isEqualTo(1);
            assertThat(h.device.configs.keySet()).containsExactlyInAnyOrder(0, 1);
            assertThatThrownBy(() -> net.setPromiscuous(true)).isInstanceOf(NetDeviceException.class)
                    .extracting(e -> ((NetDeviceException) e).reason()).isEqualTo(NetDeviceException.Reason.UNSUPPORTED);
        }
    }

    @Test
    void anMtuBelow68IsIgnoredLikeTheKernelDoes() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 40, 1, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            assertThat(h.device.driverFeatures() & VirtioFeatures.bit(VIRTIO_NET_F_MTU)).isZero();
            assertThat(net.mtu()).isEqualTo(1500);
        }
    }

    @Test
    void withoutMacFeatureARandomLocallyAdministeredUnicastMacIsUsed() throws Exception {
        long noMac = Harness.ALL & ~VirtioFeatures.bit(VIRTIO_NET_F_MAC);
        try (Harness h = new Harness(noMac, 1500, 1, 64, Settings.DEFAULTS)) {
            MacAddress mac = h.probe().mac();
            assertThat(mac.isMulticast()).isFalse();
            assertThat(mac.octets()[0] & 2).as("locally administered bit").isEqualTo(2);
        }
    }

    @Test
    void namesAreEthNInOrderOrTakenFromTheDeviceProperty() throws Exception {
        try (Harness h = Harness.standard()) {
            h.probe();
            assertThat(h.probeAnother("virtio1", Map.of()).name()).isEqualTo("eth1");
            assertThat(h.probeAnother("virtio2", Map.of(VirtioNetDriver.NET_NAME_PROPERTY, "uplink")).name())
                    .isEqualTo("uplink");
            h.remove();
            assertThat(h.probeAnother("virtio3", Map.of()).name()).as("eth0 is free again").isEqualTo("eth0");
        }
    }

    @Test
    void devicesProbedAddNoThreadOfTheirOwn() throws Exception {
        try (Harness h = Harness.standard()) {
            h.probe();
            int before = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
            for (int i = 1; i <= 20; i++) {
                h.probeAnother("virtio" + i, Map.of());
            }
            // the loopback test devices have one thread each: 20; the driver adds none per device
            assertThat(java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount()).isLessThan(before + 20 + 5);
            assertThat(h.driver.datapathJobs()).hasSize(21);
        }
    }

    @Test
    void aProbeThatRunsOutOfDmaMemoryFailsAndGivesEverythingBack() {
        LoopbackNetDevice small = new LoopbackNetDevice(Harness.ALL, Harness.MAC, 1500, 4, 256, 1 << 20);
        try (Harness h = new Harness(small, Settings.DEFAULTS)) {
            assertThatThrownBy(h::probe).isInstanceOf(IllegalStateException.class).hasMessageContaining("DMA pool exhausted");
            assertThat(DeviceStatus.FAILED.in(small.getStatus())).isTrue();
            assertThat(h.driver.netDevices()).isEmpty();
            assertThat(h.events).isEmpty();
            // everything carved was returned: the whole pool is one free range again
            small.pool.free(small.pool.allocate(small.pool.size(), 4096));
            assertThat(h.driver.datapathJobs()).noneMatch(j -> j.startsWith("virtio_net eth0"));
        }
    }
}
