package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import virtio.spec.VirtioFeatures;

/** The transport bits the ring core keeps, and that each kept one really changes how a queue works. */
class RingFeaturesTest {

    @Test
    void transportBitsTheRingDoesNotImplementAreClearedDeviceBitsAreNot() {
        long unimplemented = VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_RING_RESET, VirtioFeatures.VIRTIO_F_SR_IOV,
                VirtioFeatures.VIRTIO_F_NOTIF_CONFIG_DATA, VirtioFeatures.VIRTIO_F_ADMIN_VQ, 30, 31);
        long deviceBits = 0x00ff_ff00_0000_0fffL & ~VirtioFeatures.VIRTIO_TRANSPORT_F_MASK;
        long kept = RingFeatures.transportFeatures(RingFeatures.TRANSPORT_FEATURES | unimplemented | deviceBits);
        assertThat(kept).isEqualTo(RingFeatures.TRANSPORT_FEATURES | deviceBits);
    }

    @Test
    void theKeptBitsAreTheOnesTheQueuesRead() {
        assertThat(RingFeatures.TRANSPORT_FEATURES).isEqualTo(VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_INDIRECT_DESC,
                VirtioFeatures.VIRTIO_F_EVENT_IDX, VirtioFeatures.VIRTIO_F_VERSION_1, VirtioFeatures.VIRTIO_F_ACCESS_PLATFORM,
                VirtioFeatures.VIRTIO_F_RING_PACKED, VirtioFeatures.VIRTIO_F_IN_ORDER, VirtioFeatures.VIRTIO_F_ORDER_PLATFORM,
                VirtioFeatures.VIRTIO_F_NOTIFICATION_DATA));
        assertThat(RingFeatures.TRANSPORT_FEATURES & ~VirtioFeatures.VIRTIO_TRANSPORT_F_MASK).isZero();
    }
}
