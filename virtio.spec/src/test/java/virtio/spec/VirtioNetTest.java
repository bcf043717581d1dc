package virtio.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_VQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_RSS;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The virtqueue layout of section 5.1.2 over every combination of the features it depends on. */
class VirtioNetTest {

    @ParameterizedTest(name = "mq={0} rss={1} ctrl_vq={2}: pairs {3}, controlq {4}, queues {5}")
    @CsvSource({
            // mq, rss, cvq, pairs, controlq, queues (max_virtqueue_pairs = 4)
            "false, false, false, 1, -1, 2",
            "false, false, true,  1,  2, 3",
            "true,  false, false, 4, -1, 8",
            "true,  false, true,  4,  8, 9",
            "false, true,  false, 4, -1, 8",
            "false, true,  true,  4,  8, 9",
            "true,  true,  false, 4, -1, 8",
            "true,  true,  true,  4,  8, 9"})
    void maxVirtqueuePairsCountsWithMqOrRssAndControlqFollowsTheLastPair(boolean mq, boolean rss, boolean cvq,
            int pairs, int controlq, int queues) {
        long f = VirtioFeatures.bit(VIRTIO_NET_F_MAC) | (mq ? VirtioFeatures.bit(VIRTIO_NET_F_MQ) : 0)
                | (rss ? VirtioFeatures.bit(VIRTIO_NET_F_RSS) : 0) | (cvq ? VirtioFeatures.bit(VIRTIO_NET_F_CTRL_VQ) : 0);
        assertThat(VirtioNet.queuePairs(f, 4)).isEqualTo(pairs);
        assertThat(VirtioNet.controlQueue(f, 4)).isEqualTo(controlq);
        assertThat(VirtioNet.queueCount(f, 4)).isEqualTo(queues);
    }

    @Test
    void queuePairsAlternateReceiveAndTransmit() {
        assertThat(VirtioNet.receiveQueue(0)).isZero();
        assertThat(VirtioNet.transmitQueue(0)).isEqualTo(1);
        assertThat(VirtioNet.receiveQueue(3)).isEqualTo(6);
        assertThat(VirtioNet.transmitQueue(3)).isEqualTo(7);
    }

    @Test
    void maxVirtqueuePairsIsOneTo0x8000() {
        assertThat(VirtioNet.validMaxVirtqueuePairs(0)).isFalse();
        assertThat(VirtioNet.validMaxVirtqueuePairs(1)).isTrue();
        assertThat(VirtioNet.validMaxVirtqueuePairs(0x8000)).isTrue();
        assertThat(VirtioNet.validMaxVirtqueuePairs(0x8001)).isFalse();
    }

    @Test
    void configFieldsFollowEachOtherAsTheStructLaysThemOut() {
        assertThat(VirtioNet.VIRTIO_NET_CONFIG_STATUS).isEqualTo(VirtioNet.VIRTIO_NET_CONFIG_MAC + 6);
        assertThat(VirtioNet.VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS).isEqualTo(VirtioNet.VIRTIO_NET_CONFIG_STATUS + 2);
        assertThat(VirtioNet.VIRTIO_NET_CONFIG_MTU).isEqualTo(VirtioNet.VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS + 2);
        assertThat(VirtioNet.VIRTIO_NET_CONFIG_SPEED).isEqualTo(VirtioNet.VIRTIO_NET_CONFIG_MTU + 2);
        assertThat(VirtioNet.VIRTIO_NET_CONFIG_DUPLEX).isEqualTo(VirtioNet.VIRTIO_NET_CONFIG_SPEED + 4);
        // duplex, rss_max_key_size (u8), rss_max_indirection_table_length (le16), supported_hash_types (le32)
        assertThat(VirtioNet.VIRTIO_NET_CONFIG_SIZE).isEqualTo(VirtioNet.VIRTIO_NET_CONFIG_DUPLEX + 1 + 1 + 2 + 4);
    }

    @Test
    void theHeaderEndsWithNumBuffers() {
        assertThat(VirtioNetHdr.VIRTIO_NET_HDR_SIZE).isEqualTo(VirtioNetHdr.VIRTIO_NET_HDR_NUM_BUFFERS + 2);
        assertThat(VirtioNetHdr.VIRTIO_NET_HDR_NUM_BUFFERS).isEqualTo(VirtioNetHdr.VIRTIO_NET_HDR_CSUM_OFFSET + 2);
    }
}
