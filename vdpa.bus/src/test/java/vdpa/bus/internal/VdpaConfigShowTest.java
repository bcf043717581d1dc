package vdpa.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BusConstants;
import driver.core.internal.InMemoryBus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vdpa.bus.SimpleVdpaDevice;
import vdpa.bus.VdpaDevice;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/** {@code vdpa dev config show}: the config space through the config ops, as iproute2 prints it. */
class VdpaConfigShowTest {

    static final long VERSION_1 = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
    static final long MTU = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MTU);
    static final long MAC = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC);
    static final long STATUS = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_STATUS);
    static final long MQ = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MQ);

    final InMemoryBus<VdpaDevice> engine = new InMemoryBus<>(VdpaBusAdapter.spec());
    final VdpaBusAdapter bus = new VdpaBusAdapter(engine);
    final VdpaShell shell = new VdpaShell(bus, List::of);
    final SimpleVdpaDevice nic = new SimpleVdpaDevice(5, VERSION_1 | MTU | MAC | STATUS | MQ);

    @BeforeEach
    void register() throws Exception {
        nic.deviceConfig(0, (byte) 0x52, (byte) 0x54, (byte) 0, (byte) 0x12, (byte) 0x34, (byte) 0); // mac
        nic.deviceConfig(6, (byte) 1, (byte) 0); // status: VIRTIO_NET_S_LINK_UP
        nic.deviceConfig(8, (byte) 2, (byte) 0); // max_virtqueue_pairs
        nic.deviceConfig(10, (byte) 0xdc, (byte) 0x05); // mtu 1500
        bus.register(nic, Map.of(BusConstants.DEVICE_NAME, "vdpa0"));
    }

    @AfterEach
    void closeBus() {
        engine.close();
    }

    @Test
    void beforeNegotiationTheFieldsTheDeviceOffersAfterItTheNegotiatedFeaturesToo() {
        assertThat(Run.text(shell.dev(Run.words("config show vdpa0"))))
                .isEqualTo("vdpa0: mac 52:54:00:12:34:00 link up link_announce false max_vq_pairs 2 mtu 1500");
        nic.setStatus(1 | 2);
        nic.setDriverFeatures(VERSION_1 | MAC | STATUS | MQ);
        nic.setStatus(1 | 2 | 8);
        assertThat(Run.text(shell.dev(Run.words("config show vdpa0")))).isEqualTo("""
                vdpa0: mac 52:54:00:12:34:00 link up link_announce false max_vq_pairs 2 mtu 1500
                  negotiated_features MAC STATUS MQ VERSION_1""");
        assertThat(Run.json(shell.dev(Run.words("config show vdpa0")))).isEqualTo("{\"config\":{\"vdpa0\":{"
                + "\"mac\":\"52:54:00:12:34:00\",\"link\":\"up\",\"link_announce\":false,\"max_vq_pairs\":2,\"mtu\":1500,"
                + "\"negotiated_features\":[\"MAC\",\"STATUS\",\"MQ\",\"VERSION_1\"]}}}");
    }

    @Test
    void fieldsWhoseFeatureIsNotOfferedAreLeftOutAndWithoutMqThereIsOnePair() throws Exception {
        SimpleVdpaDevice plain = new SimpleVdpaDevice(3, VERSION_1 | MAC);
        plain.deviceConfig(8, (byte) 7, (byte) 0); // not valid without MQ: ignored
        bus.register(plain, Map.of(BusConstants.DEVICE_NAME, "plain0"));
        assertThat(Run.text(shell.dev(Run.words("config show plain0")))).isEqualTo("plain0: mac 00:00:00:00:00:00 max_vq_pairs 1");
        // without a name: every network device
        assertThat(Run.text(shell.dev(Run.words("config")))).isEqualTo(Run.text(shell.dev(Run.words("config show"))))
                .startsWith("vdpa0: mac 52:54:00:12:34:00").contains("\nplain0: mac 00:00:00:00:00:00 max_vq_pairs 1");
    }

    @Test
    void linkDownAndAnnounceAreReadFromTheStatusBits() {
        nic.deviceConfig(6, (byte) 2, (byte) 0); // VIRTIO_NET_S_ANNOUNCE only
        assertThat(Run.text(shell.dev(Run.words("config show vdpa0")))).contains(" link down link_announce true ");
    }

    @Test
    void refusalsNameWhatIsWrongAndChangeNothing() throws Exception {
        SimpleVdpaDevice blk = new SimpleVdpaDevice() {
            @Override public int getDeviceId() { return 2; }
        };
        bus.register(blk, Map.of(BusConstants.DEVICE_NAME, "blk0"));
        int status = nic.getStatus();
        assertThatThrownBy(() -> shell.dev(Run.words("config show nosuch"))).hasMessage("no device 'nosuch'");
        assertThatThrownBy(() -> shell.dev(Run.words("config show vdpa0 blk0"))).hasMessage("dev config show takes at most one name, got [vdpa0, blk0]");
        assertThatThrownBy(() -> shell.dev(Run.words("config frob"))).hasMessage("unknown dev config command 'frob' (expected show)");
        assertThatThrownBy(() -> shell.dev(Run.words("config show blk0")))
                .hasMessage("device 'blk0' is not a network device (virtio device id 2): no config to show");
        assertThat(Run.text(shell.dev(Run.words("config show")))).doesNotContain("blk0");
        assertThat(nic.getStatus()).isEqualTo(status);
    }
}
