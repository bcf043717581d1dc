package virtio.spec;

/**
 * Feature bits that belong to the virtio core and the virtqueues rather than to a device type
 * (virtio 1.2 section 6, "Reserved Feature Bits"; section 2.2 allocates them), as bit numbers in
 * the 64-bit feature word. {@link #bit(int)} turns one into a mask, {@link #has(long, int)} tests
 * one. Device-type bits live beside their device ({@link VirtioNet}).
 */
public final class VirtioFeatures {
    private VirtioFeatures() {}

    /** Bit 24, legacy: a used buffer notification when the available ring runs empty (6.3). */
    public static final int VIRTIO_F_NOTIFY_ON_EMPTY = 24;
    /** Bit 27, legacy: the device accepts arbitrary descriptor layouts (6.3, 2.7.4.3). */
    public static final int VIRTIO_F_ANY_LAYOUT = 27;
    /** Bit 28: descriptors may carry VIRTQ_DESC_F_INDIRECT (2.7.5.3 split, 2.8.7 packed). */
    public static final int VIRTIO_F_INDIRECT_DESC = 28;
    /**
     * Bit 29: {@code used_event} / {@code avail_event} (split, 2.7.7 and 2.7.10) or
     * RING_EVENT_FLAGS_DESC (packed, 2.8.10) suppress notifications.
     */
    public static final int VIRTIO_F_EVENT_IDX = 29;
    /** Bit 32: compliance with virtio 1.0 or later; without it the device is legacy (6). */
    public static final int VIRTIO_F_VERSION_1 = 32;
    /** Bit 33: the device reaches memory through a platform IOMMU or translation: addresses are bus addresses (6). */
    public static final int VIRTIO_F_ACCESS_PLATFORM = 33;
    /** Bit 34: the packed virtqueue layout (2.8). */
    public static final int VIRTIO_F_RING_PACKED = 34;
    /** Bit 35: the device uses buffers in the order they were made available (2.7.9, 2.8.8). */
    public static final int VIRTIO_F_IN_ORDER = 35;
    /** Bit 36: memory accesses are ordered as the platform describes for hardware devices (6). */
    public static final int VIRTIO_F_ORDER_PLATFORM = 36;
    /** Bit 37: the device supports PCI single root I/O virtualization (6). */
    public static final int VIRTIO_F_SR_IOV = 37;
    /** Bit 38: available buffer notifications carry the next available position ({@link NotificationData}; 2.9). */
    public static final int VIRTIO_F_NOTIFICATION_DATA = 38;
    /** Bit 39: available buffer notifications carry a device-supplied value instead of the queue number (2.9, 4.1.5.2). */
    public static final int VIRTIO_F_NOTIF_CONFIG_DATA = 39;
    /** Bit 40: a virtqueue can be reset on its own (2.6.1). */
    public static final int VIRTIO_F_RING_RESET = 40;
    /** Bit 41: the device has an administration virtqueue (virtio 1.3 section 2.12). */
    public static final int VIRTIO_F_ADMIN_VQ = 41;

    /** First transport bit (the kernel's VIRTIO_TRANSPORT_F_START): below it, the device type's bits. */
    public static final int VIRTIO_TRANSPORT_F_START = 28;
    /** One past the last transport bit (the kernel's VIRTIO_TRANSPORT_F_END). */
    public static final int VIRTIO_TRANSPORT_F_END = 42;
    /** Every transport bit, {@link #VIRTIO_TRANSPORT_F_START} to {@link #VIRTIO_TRANSPORT_F_END} exclusive. */
    public static final long VIRTIO_TRANSPORT_F_MASK =
            ((1L << VIRTIO_TRANSPORT_F_END) - 1) & ~((1L << VIRTIO_TRANSPORT_F_START) - 1);

    /** The mask of one feature bit, 0 to 63. */
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
