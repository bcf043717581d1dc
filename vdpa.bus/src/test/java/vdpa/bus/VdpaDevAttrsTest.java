package vdpa.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BusException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import virtio.net.api.MacAddress;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioIds;
import virtio.spec.VirtioNet;

class VdpaDevAttrsTest {

    static final long MAC_F = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC), MTU_F = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MTU),
            MQ_F = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MQ), V1 = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);

    record Mgmt(String name, Set<Integer> supportedClasses, int maxSupportedVqs, long supportedFeatures,
            Set<VdpaAttr> configAttributes) implements VdpaMgmtDevice {
        @Override public void add(VdpaDevAttrs attrs) throws BusException {}
        @Override public void delete(String name) throws BusException {}
    }

    static final Mgmt SIM = new Mgmt("vdpasim_net", Set.of(VirtioIds.VIRTIO_ID_NET), 3, V1 | MAC_F | MTU_F, EnumSet.allOf(VdpaAttr.class));

    static VdpaDevAttrs attrs(String mac, Integer mtu, Integer vqp, Long features) {
        return new VdpaDevAttrs("vdpa0", Optional.ofNullable(mac).map(MacAddress::parse),
                mtu == null ? OptionalInt.empty() : OptionalInt.of(mtu), vqp == null ? OptionalInt.empty() : OptionalInt.of(vqp),
                features == null ? OptionalLong.empty() : OptionalLong.of(features));
    }

    @Test
    void valuesAreCheckedOnTheirOwn() {
        assertThatThrownBy(() -> attrs(null, 67, null, null)).hasMessageContaining("invalid mtu 67");
        assertThatThrownBy(() -> attrs(null, 65536, null, null)).hasMessageContaining("invalid mtu");
        assertThatThrownBy(() -> attrs(null, null, 0, null)).hasMessageContaining("invalid max_vqp 0");
        assertThatThrownBy(() -> VdpaDevAttrs.named("bad/name")).hasMessageContaining("invalid name 'bad/name'");
        assertThatThrownBy(() -> VdpaDevAttrs.named("")).hasMessageContaining("invalid name");
        assertThat(attrs("00:11:22:33:44:55", 1500, 1, V1).given()).isEqualTo(EnumSet.allOf(VdpaAttr.class));
    }

    @Test
    void attributesTheMgmtdevDoesNotTakeAreRefused() {
        Mgmt noMtu = new Mgmt("m", Set.of(VirtioIds.VIRTIO_ID_NET), 3, V1 | MTU_F, EnumSet.of(VdpaAttr.MAC));
        assertThat(attrs(null, 1500, 2, null).refusalFor(noMtu)).isEqualTo("mgmtdev m does not support attributes: mtu, max_vqp");
    }

    @Test
    void netAttributesNeedANetMgmtdev() {
        Mgmt blk = new Mgmt("blk", Set.of(2), 1, V1, EnumSet.allOf(VdpaAttr.class));
        assertThat(attrs("00:11:22:33:44:55", null, null, null).refusalFor(blk)).contains("creates no network devices");
    }

    @Test
    void deviceFeaturesMustBeSupportedAndCoverTheAttributes() {
        assertThat(attrs(null, null, null, V1 | MQ_F).refusalFor(SIM)).contains("does not support: 0x400000");
        assertThat(attrs("00:11:22:33:44:55", 1500, null, V1).refusalFor(SIM)).isEqualTo(
                "device_features lack 0x28 needed by the attributes given");
        assertThat(attrs("00:11:22:33:44:55", 1500, null, V1 | MAC_F | MTU_F).refusalFor(SIM)).isNull();
    }

    @Test
    void queuePairsMustFitTheMgmtdevsQueues() {
        assertThat(attrs(null, null, 2, null).refusalFor(SIM)).contains("needs 4 virtqueues").contains("supports 3");
        assertThat(attrs(null, null, 1, null).refusalFor(SIM)).isNull();
    }
}
