package vdpa.sim.internal;

import static virtio.spec.VirtioFeatures.VIRTIO_F_ACCESS_PLATFORM;
import static virtio.spec.VirtioFeatures.VIRTIO_F_EVENT_IDX;
import static virtio.spec.VirtioFeatures.VIRTIO_F_INDIRECT_DESC;
import static virtio.spec.VirtioFeatures.VIRTIO_F_RING_PACKED;
import static virtio.spec.VirtioFeatures.VIRTIO_F_VERSION_1;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_RX;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_VQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MRG_RXBUF;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_STATUS;

import virtio.spec.VirtioFeatures;

/** The feature words of the simulated net device. */
final class SimNetFeatures {
    private SimNetFeatures() {}

    /**
     * Everything the device can offer. MQ is offered at any max_vqp (max_virtqueue_pairs may be
     * 1), so the control queue sits at index 2 * max_vqp whatever the count.
     */
    static final long OFFERED = VirtioFeatures.bits(VIRTIO_F_VERSION_1, VIRTIO_F_ACCESS_PLATFORM, VIRTIO_F_INDIRECT_DESC,
            VIRTIO_F_EVENT_IDX, VIRTIO_F_RING_PACKED, VIRTIO_NET_F_MAC, VIRTIO_NET_F_MTU, VIRTIO_NET_F_STATUS,
            VIRTIO_NET_F_MRG_RXBUF, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_RX, VIRTIO_NET_F_CTRL_MAC_ADDR,
            VIRTIO_NET_F_MQ);
}
