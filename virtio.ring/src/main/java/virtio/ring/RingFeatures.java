package virtio.ring;

import virtio.spec.VirtioFeatures;

/**
 * The transport feature bits this ring core implements (the kernel's vring_transport_features):
 * a transport finalizing a driver's features clears the other transport bits with
 * {@link #transportFeatures(long)} before it writes them to the device, then clears whatever it
 * cannot carry itself.
 *
 * <p>Implemented: VIRTIO_F_INDIRECT_DESC, VIRTIO_F_EVENT_IDX, VIRTIO_F_VERSION_1 (the rings are
 * little-endian, modern only), VIRTIO_F_ACCESS_PLATFORM (every address is a bus address, resolved
 * through an {@link AddressSpace}), VIRTIO_F_RING_PACKED, VIRTIO_F_IN_ORDER,
 * VIRTIO_F_ORDER_PLATFORM (the ordered accesses are fences, as the kernel's ring keeps it) and
 * VIRTIO_F_NOTIFICATION_DATA ({@link DriverQueue#notificationData()}). Not: VIRTIO_F_RING_RESET (a
 * queue resets only with its device), and the bits no ring has a part in (SR_IOV,
 * NOTIF_CONFIG_DATA, ADMIN_VQ).
 */
public final class RingFeatures {
    private RingFeatures() {}

    /** The transport bits the ring core implements. */
    public static final long TRANSPORT_FEATURES = VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_INDIRECT_DESC,
            VirtioFeatures.VIRTIO_F_EVENT_IDX, VirtioFeatures.VIRTIO_F_VERSION_1, VirtioFeatures.VIRTIO_F_ACCESS_PLATFORM,
            VirtioFeatures.VIRTIO_F_RING_PACKED, VirtioFeatures.VIRTIO_F_IN_ORDER, VirtioFeatures.VIRTIO_F_ORDER_PLATFORM,
            VirtioFeatures.VIRTIO_F_NOTIFICATION_DATA);

    /** {@code features} with every transport bit the ring core does not implement cleared; device-type bits untouched. */
    public static long transportFeatures(long features) {
        return features & ~(VirtioFeatures.VIRTIO_TRANSPORT_F_MASK & ~TRANSPORT_FEATURES);
    }
}
