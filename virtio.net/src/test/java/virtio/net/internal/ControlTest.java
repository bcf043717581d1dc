package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDeviceConstants;
import virtio.net.api.NetDeviceException;
import virtio.net.api.NetDeviceException.Reason;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNetCtrl;

/** Control queue commands, their acks and their failures. */
class ControlTest {

    private static Reason reasonOf(Throwable t) {
        return ((NetDeviceException) t).reason();
    }

    @Test
    void rxModeMacTableAndMacAddressReachTheDevice() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            net.setPromiscuous(true);
            net.setAllMulticast(true);
            assertThat(h.device.datapath.promisc).isTrue();
            assertThat(h.device.datapath.allmulti).isTrue();
            assertThat(net.promiscuous()).isTrue();
            assertThat(net.allMulticast()).isTrue();
            net.setPromiscuous(false);
            assertThat(h.device.datapath.promisc).isFalse();

            List<MacAddress> groups = List.of(MacAddress.parse("01:00:5e:00:00:01"), MacAddress.parse("33:33:00:00:00:fb"));
            net.setMulticastList(groups);
            assertThat(h.device.datapath.multicast).isEqualTo(groups);

            MacAddress next = MacAddress.parse("52:54:00:ab:cd:ef");
            net.setMacAddress(next);
            assertThat(net.mac()).isEqualTo(next);
            assertThat(h.services.get("eth0")).containsEntry(NetDeviceConstants.NET_MAC, "52:54:00:ab:cd:ef");
            byte[] cfgMac = new byte[6];
            h.device.readConfig(VIRTIO_NET_CONFIG_MAC, java.lang.foreign.MemorySegment.ofArray(cfgMac));
            assertThat(MacAddress.of(cfgMac)).isEqualTo(next);
            assertThat(h.device.datapath.commands).allSatisfy(c -> assertThat(c.ack()).isEqualTo(VirtioNetCtrl.VIRTIO_NET_OK));
        }
    }

    @Test
    void aRefusedCommandThrowsRefusedAndChangesNothing() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            h.device.datapath.refuseCommands = true;
            assertThatThrownBy(() -> net.setPromiscuous(true)).satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.REFUSED))
                    .hasMessageContaining("VIRTIO_NET_ERR");
            assertThat(net.promiscuous()).isFalse();
            assertThatThrownBy(() -> net.setMacAddress(MacAddress.parse("52:54:00:00:00:09")))
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.REFUSED));
            assertThat(net.mac()).isEqualTo(Harness.MAC);
            h.device.datapath.refuseCommands = false;
            net.setPromiscuous(true);
            assertThat(net.promiscuous()).isTrue();
        }
    }

    @Test
    void anUnansweredCommandTimesOutBlocksTheNextUntilTheDeviceAnswers() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 1, 64, Settings.DEFAULTS.withCtrlTimeout(Duration.ofMillis(200)))) {
            VirtioNet net = h.probe();
            h.device.datapath.ignoreCommands = true;
            assertThatThrownBy(() -> net.setAllMulticast(true)).satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.TIMEOUT))
                    .hasMessageContaining("no answer");
            assertThatThrownBy(() -> net.setAllMulticast(true)).satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.TIMEOUT))
                    .hasMessageContaining("previous command unanswered");
            h.device.datapath.ignoreCommands = false;
            h.device.datapath.wake();
            Harness.await(() -> h.device.datapath.commands.size() == 2, "the device answers the old command");
            net.setPromiscuous(true);
            assertThat(h.device.datapath.promisc).isTrue();
        }
    }

    @Test
    void invalidArgumentsAreRefusedBeforeReachingTheDevice() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            int before = h.device.datapath.commands.size();
            assertThatThrownBy(() -> net.setMulticastList(List.of(MacAddress.parse("52:54:00:00:00:01"))))
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID));
            assertThatThrownBy(() -> net.setMacAddress(MacAddress.BROADCAST))
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID));
            assertThatThrownBy(() -> net.setQueuePairs(2)).satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID));
            assertThat(h.device.datapath.commands).hasSize(before);
        }
    }

    @Test
    void withoutCtrlMacAddrTheMacCannotBeSet() throws Exception {
        long f = Harness.ALL & ~VirtioFeatures.bit(VIRTIO_NET_F_CTRL_MAC_ADDR);
        try (Harness h = new Harness(f, 1500, 1, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            assertThatThrownBy(() -> net.setMacAddress(MacAddress.parse("52:54:00:00:00:09")))
                    .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.UNSUPPORTED));
            net.setPromiscuous(true); // CTRL_RX is still there
        }
    }
}
