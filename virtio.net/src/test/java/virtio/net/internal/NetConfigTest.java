package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_RSS;

import org.junit.jupiter.api.Test;
import virtio.spec.VirtioFeatures;

/** {@code struct virtio_net_config} as the driver reads it: which fields count under which features (5.1.4). */
class NetConfigTest {

    @Test
    void maxVirtqueuePairsCountsWithRssAsWithMq() {
        try (LoopbackNetDevice dev = new LoopbackNetDevice(0, Harness.MAC, 1500, 4, 64)) {
            long mac = VirtioFeatures.bit(VIRTIO_NET_F_MAC);
            assertThat(NetConfig.read(dev, mac).maxPairs()).isEqualTo(1);
            assertThat(NetConfig.read(dev, mac | VirtioFeatures.bit(VIRTIO_NET_F_MQ)).maxPairs()).isEqualTo(4);
            // virtio 1.2 5.1.2: N is max_virtqueue_pairs with VIRTIO_NET_F_MQ or VIRTIO_NET_F_RSS
            assertThat(NetConfig.read(dev, mac | VirtioFeatures.bit(VIRTIO_NET_F_RSS)).maxPairs()).isEqualTo(4);
        }
    }
}
