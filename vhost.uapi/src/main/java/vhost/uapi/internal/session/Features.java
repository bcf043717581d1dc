package vhost.uapi.internal.session;

import static virtio.spec.VirtioIds.VIRTIO_ID_NET;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_VQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MTU;

import vdpa.bus.VdpaDevice;
import vhost.uapi.internal.proto.Wire;
import virtio.spec.VirtioNet;
import virtio.spec.VirtioFeatures;

/**
 * Which features the front-end is offered and which the device is then given: the one place
 * where they differ.
 *
 * <ul>
 * <li>VIRTIO_F_ACCESS_PLATFORM is not offered: the bridge is the device's IOMMU (IOVA = GPA
 * through the memory table), and vhost-user's own IOTLB messages are not served. The device
 * gets the bit whenever it offers it, since the addresses it sees are IOVAs of that mapping.
 * <li>VHOST_USER_F_PROTOCOL_FEATURES (bit 30) is the protocol's, never the device's.
 * <li>A net front-end that does not take VIRTIO_NET_F_CTRL_VQ (QEMU and DPDK keep the control
 * queue to themselves) has only data rings, 2 per queue pair, and sets several pairs up by
 * enabling their rings: the device is given MQ and CTRL_VQ (when it offers them) so that its
 * queue layout holds every pair the front-end may use. Its control queue then stays unused.
 * </ul>
 */
final class Features {
    private Features() {}

    private static final long ACCESS_PLATFORM = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_ACCESS_PLATFORM);

    /** What GET_FEATURES answers. */
    static long offered(VdpaDevice dev) {
        return (dev.getDeviceFeatures() & ~ACCESS_PLATFORM & ~Wire.bit(Wire.VHOST_USER_F_PROTOCOL_FEATURES))
                | Wire.bit(Wire.VHOST_USER_F_PROTOCOL_FEATURES);
    }

    /** What the device is given when the front-end sets {@code acked}. */
    static long forDevice(VdpaDevice dev, long acked) {
        long offered = dev.getDeviceFeatures();
        long f = acked & offered & ~Wire.bit(Wire.VHOST_USER_F_PROTOCOL_FEATURES) | (offered & ACCESS_PLATFORM);
        if (dev.getDeviceId() == VIRTIO_ID_NET && (acked & Wire.bit(VIRTIO_NET_F_CTRL_VQ)) == 0) {
            long mq = Wire.bit(VIRTIO_NET_F_MQ) | Wire.bit(VIRTIO_NET_F_CTRL_VQ);
            if ((offered & mq) == mq) {
                f |= mq;
            }
        }
        return f;
    }

    /**
     * Whether the bridge drives the device's control queue itself: for a net front-end that did not
     * take VIRTIO_NET_F_CTRL_VQ, when {@link #forDevice} gave the device MQ and CTRL_VQ and it has
     * more than one pair (see {@link ShadowControl}).
     */
    static boolean bridgeOwnsControlQueue(VdpaDevice dev, long acked) {
        long mq = Wire.bit(VIRTIO_NET_F_MQ) | Wire.bit(VIRTIO_NET_F_CTRL_VQ);
        return dev.getDeviceId() == VIRTIO_ID_NET && (acked & Wire.bit(VIRTIO_NET_F_CTRL_VQ)) == 0
                && (dev.getDeviceFeatures() & mq) == mq && dev.vqCount() >= 5 && dev.vqCount() % 2 == 1;
    }

    /** The MTU a net device reports in config space (VIRTIO_NET_F_MTU), else the largest any MTU may be. */
    static int deviceMtu(VdpaDevice dev) {
        if (dev.getDeviceId() != VIRTIO_ID_NET || (dev.getDeviceFeatures() & Wire.bit(VIRTIO_NET_F_MTU)) == 0) {
            return VirtioNet.VIRTIO_NET_MAX_MTU;
        }
        byte[] b = dev.getConfig(VirtioNet.VIRTIO_NET_CONFIG_MTU, 2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    /** The rings a front-end may use: a net front-end without a control queue has only data rings. */
    static int queueNum(VdpaDevice dev) {
        int n = dev.vqCount();
        return dev.getDeviceId() == VIRTIO_ID_NET && n % 2 == 1 ? n - 1 : n;
    }
}
