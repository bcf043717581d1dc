package virtio.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VirtioFeaturesTest {

    @Test
    void theTransportMaskIsBits28To41() {
        assertThat(VirtioFeatures.VIRTIO_TRANSPORT_F_MASK).isEqualTo(0x3fff_0000000L);
        assertThat(VirtioFeatures.VIRTIO_TRANSPORT_F_MASK & VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_INDIRECT_DESC)).isNotZero();
        assertThat(VirtioFeatures.VIRTIO_TRANSPORT_F_MASK & VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_ADMIN_VQ)).isNotZero();
        assertThat(VirtioFeatures.VIRTIO_TRANSPORT_F_MASK & VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_ANY_LAYOUT)).isZero();
        assertThat(VirtioFeatures.VIRTIO_TRANSPORT_F_MASK & VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR)).isZero();
    }

    @Test
    void bitsAreZeroTo63() {
        assertThat(VirtioFeatures.bits(0, 63)).isEqualTo(0x8000_0000_0000_0001L);
        assertThat(VirtioFeatures.has(VirtioFeatures.bit(38), VirtioFeatures.VIRTIO_F_NOTIFICATION_DATA)).isTrue();
        assertThatThrownBy(() -> VirtioFeatures.bit(64)).hasMessageContaining("outside 0..63");
        assertThatThrownBy(() -> VirtioFeatures.bit(-1)).hasMessageContaining("outside 0..63");
    }
}
