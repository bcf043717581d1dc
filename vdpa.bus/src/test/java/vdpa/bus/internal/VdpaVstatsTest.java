package vdpa.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BusConstants;
import driver.core.internal.InMemoryBus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vdpa.bus.SimpleVdpaDevice;
import vdpa.bus.VdpaCapability;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaVendorStatsOps;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

class VdpaVstatsTest {

    private static final int ACK = DeviceStatus.ACKNOWLEDGE.value();
    private static final int DRV = DeviceStatus.DRIVER.value();
    private static final int FOK = DeviceStatus.FEATURES_OK.value();

    /** The reference device with two counters per queue: the queue index and a constant. */
    static final class CountingDevice extends SimpleVdpaDevice implements VdpaVendorStatsOps {
        CountingDevice() {
            super();
        }

        CountingDevice(int nvqs, long offered) {
            super(nvqs, offered);
        }

        @Override
        public Map<String, Long> vendorVqStats(int idx) {
            if (idx < 0 || idx >= vqCount()) {
                throw new IllegalArgumentException("virtqueue " + idx);
            }
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("frames", 10L + idx);
            m.put("bytes", -1L);
            return m;
        }
    }

    final InMemoryBus<VdpaDevice> engine = new InMemoryBus<>(VdpaBusAdapter.spec());
    final VdpaBusAdapter bus = new VdpaBusAdapter(engine);

    final VdpaShell shell = new VdpaShell(bus, List::of);
    final CountingDevice dev = new CountingDevice();

    @AfterEach
    void closeBus() {
        engine.close();
    }

    @BeforeEach
    void register() throws Exception {
        bus.register(dev, Map.of(BusConstants.DEVICE_NAME, "vdpa0"));
        bus.register(new SimpleVdpaDevice(), Map.of(BusConstants.DEVICE_NAME, "plain0"));
    }


    @Test
    void textIsIproute2sLineWithUnsignedValues() {
        assertThat(Run.text(shell.dev(Run.words("vstats show vdpa0 qidx 1"))))
                .isEqualTo("vdpa0: queue_index 1 name frames value 11 name bytes value 18446744073709551615");
    }

    @Test
    void queueTypeAppearsOnceFeaturesAreNegotiated() {
        dev.setStatus(ACK | DRV);
        dev.setDriverFeatures(VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_VERSION_1, VirtioNet.VIRTIO_NET_F_MAC));
        dev.setStatus(ACK | DRV | FOK);
        assertThat(Run.text(shell.dev(Run.words("vstats show vdpa0 qidx 0")))).startsWith("vdpa0: queue_index 0 queue_type rx name");
        assertThat(Run.text(shell.dev(Run.words("vstats show vdpa0 qidx 1")))).startsWith("vdpa0: queue_index 1 queue_type tx name");
    }

    @Test
    void withRssAloneTheControlQueueFollowsMaxVirtqueuePairs() throws Exception {
        long f = VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_VERSION_1, VirtioNet.VIRTIO_NET_F_CTRL_VQ,
                VirtioNet.VIRTIO_NET_F_RSS);
        CountingDevice two = new CountingDevice(5, f);
        two.deviceConfig(VirtioNet.VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS, (byte) 2, (byte) 0);
        bus.register(two, Map.of(BusConstants.DEVICE_NAME, "vdpa2"));
        two.setStatus(ACK | DRV);
        two.setDriverFeatures(f);
        two.setStatus(ACK | DRV | FOK);
        // 5.1.2: with MQ or RSS the control queue is 2N, here queue 4; queue 2 receives
        assertThat(Run.text(shell.dev(Run.words("vstats show vdpa2 qidx 2")))).startsWith("vdpa2: queue_index 2 queue_type rx name");
        assertThat(Run.text(shell.dev(Run.words("vstats show vdpa2 qidx 4")))).startsWith("vdpa2: queue_index 4 queue_type control_vq name");
    }

    @Test
    void jsonKeepsCountersInOneObject() {
        assertThat(Run.json(shell.dev(Run.words("vstats show vdpa0 qidx 2"))))
                .isEqualTo("{\"vstats\":{\"vdpa0\":{\"queue_index\":2,\"stats\":{\"frames\":12,\"bytes\":18446744073709551615}}}}");
    }

    @Test
    void refusalsNameWhatIsWrong() {
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("vstats show vdpa0 qidx 3")))).hasMessageContaining("has queues 0..2");
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("vstats show vdpa0 qidx -1")))).hasMessageContaining("invalid qidx");
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("vstats show nosuch qidx 0")))).hasMessage("no device 'nosuch'");
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("vstats show plain0 qidx 0")))).hasMessageContaining("no vendor statistics");
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("vstats show vdpa0")))).hasMessageStartingWith("usage:");
    }

    @Test
    void theCapabilityIsListed() {
        assertThat(dev.capabilities()).contains(VdpaCapability.VENDOR_STATS);
        assertThat(new SimpleVdpaDevice().capabilities()).doesNotContain(VdpaCapability.VENDOR_STATS);
    }
}
