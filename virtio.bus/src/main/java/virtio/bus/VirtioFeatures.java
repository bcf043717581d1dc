package virtio.bus;

/**
 * Transport feature bits: the bits of the feature word that belong to the virtio core and the ring
 * layout rather than to a device type (virtio spec 1.3, section 6 "Reserved Feature Bits"). Values
 * are bit numbers; {@link #bit(int)} turns one into a mask.
 *
 * <p>The bus keeps every transport bit the device offers, whatever the driver's table says, and
 * lets the transport drop the ones its ring cannot do, like the kernel's virtio_dev_probe and
 * vring_transport_features.
 */
public final class VirtioFeatures {
    private VirtioFeatures() {}

    /** Legacy: interrupt when the available ring runs empty (spec 6, legacy interface). */
    public static final int VIRTIO_F_NOTIFY_ON_EMPTY = 24;
    /** Legacy: the device accepts arbitrary descriptor layouts (spec 2.7.4.3, legacy interface). */
    public static final int VIRTIO_F_ANY_LAYOUT = 27;
    /** Indirect descriptor tables (spec 2.7.5.3 split, 2.8.7 packed). */
    public static final int VIRTIO_F_INDIRECT_DESC = 28;
    /** used_event / avail_event notification suppression (spec 2.7.7, 2.7.10). */
    public static final int VIRTIO_F_EVENT_IDX = 29;
    /** Compliance with virtio 1.0 or later; without it the device is legacy (spec 6). */
    public static final int VIRTIO_F_VERSION_1 = 32;
    /** The device accesses memory through a platform IOMMU or translation (spec 6). */
    public static final int VIRTIO_F_ACCESS_PLATFORM = 33;
    /** Packed virtqueue layout (spec 2.8). */
    public static final int VIRTIO_F_RING_PACKED = 34;
    /** Buffers are used in the order they were made available (spec 2.7.9, 2.8.20). */
    public static final int VIRTIO_F_IN_ORDER = 35;
    /** Memory accesses need platform ordering, not just compiler barriers (spec 6). */
    public static final int VIRTIO_F_ORDER_PLATFORM = 36;
    /** Single root I/O virtualization (spec 6). */
    public static final int VIRTIO_F_SR_IOV = 37;
    /** Driver notifications carry extra data: queue index, next offset and wrap (spec 2.9). */
    public static final int VIRTIO_F_NOTIFICATION_DATA = 38;
    /** Driver notifications carry a device-supplied config value (spec 2.9). */
    public static final int VIRTIO_F_NOTIF_CONFIG_DATA = 39;
    /** Individual virtqueues can be reset (spec 2.6.1). */
    public static final int VIRTIO_F_RING_RESET = 40;
    /** The device has an administration virtqueue (spec 2.12). */
    public static final int VIRTIO_F_ADMIN_VQ = 41;

    /** First transport bit (the kernel's VIRTIO_TRANSPORT_F_START). */
    public static final int TRANSPORT_F_START = 28;
    /** One past the last transport bit (the kernel's VIRTIO_TRANSPORT_F_END). */
    public static final int TRANSPORT_F_END = 42;

    /** Mask of every transport bit, {@link #TRANSPORT_F_START} to {@link #TRANSPORT_F_END} exclusive. */
    public static final long TRANSPORT_MASK = ((1L << TRANSPORT_F_END) - 1) & ~((1L << TRANSPORT_F_START) - 1);

    /** The mask of one feature bit. */
    public static long bit(int feature) {
        if (feature < 0 || feature > 63) {
            throw new IllegalArgumentException("feature bit " + feature + " is outside 0..63");
        }
        return 1L << feature;
    }

    /** The mask of several feature bits. */
    public static long bits(int... features) {
        long m = 0;
        for (int f : features) {
            m |= bit(f);
        }
        return m;
    }

    /** Whether a feature word has a bit. */
    public static boolean has(long features, int feature) {
        return (features & bit(feature)) != 0;
    }
}
