package vhost.uapi.internal.session;

import static virtio.net.api.VirtioNetWire.VIRTIO_ID_NET;
import static virtio.net.api.VirtioNetWire.VIRTIO_NET_F_CTRL_VQ;
import static virtio.net.api.VirtioNetWire.VIRTIO_NET_F_MQ;

import vdpa.bus.VdpaDevice;
import vhost.uapi.internal.proto.Wire;
import virtio.ring.VirtioRingFeatures;

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

    private static final long ACCESS_PLATFORM = VirtioRingFeatures.bit(VirtioRingFeatures.VIRTIO_F_ACCESS_PLATFORM);

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

    /** The rings a front-end may use: a net front-end without a control queue has only data rings. */
    static int queueNum(VdpaDevice dev) {
        int n = dev.vqCount();
        return dev.getDeviceId() == VIRTIO_ID_NET && n % 2 == 1 ? n - 1 : n;
    }
}
