package virtio.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeatureNamesTest {

    @Test
    void transportBitsAreNamedForEveryDevice() {
        assertThat(FeatureNames.of(VirtioIds.VIRTIO_ID_NET, 32)).isEqualTo("VIRTIO_F_VERSION_1");
        assertThat(FeatureNames.of(VirtioIds.VIRTIO_ID_BLOCK, 34)).isEqualTo("VIRTIO_F_RING_PACKED");
        assertThat(FeatureNames.of(99, 24)).isEqualTo("VIRTIO_F_NOTIFY_ON_EMPTY");
    }

    @Test
    void deviceBitsAreNamedOnlyForTheirDeviceType() {
        assertThat(FeatureNames.of(VirtioIds.VIRTIO_ID_NET, 5)).isEqualTo("VIRTIO_NET_F_MAC");
        assertThat(FeatureNames.of(VirtioIds.VIRTIO_ID_NET, 63)).isEqualTo("VIRTIO_NET_F_SPEED_DUPLEX");
        assertThat(FeatureNames.of(VirtioIds.VIRTIO_ID_BLOCK, 5)).isNull();
        assertThat(FeatureNames.of(VirtioIds.VIRTIO_ID_NET, 4)).isNull();
    }

    @Test
    void theMaskConstantIsNotTakenForABit() {
        // VIRTIO_TRANSPORT_F_START/END are ints too, but not VIRTIO_F_ names
        assertThat(FeatureNames.of(VirtioIds.VIRTIO_ID_NET, 42)).isNull();
    }
}
