package virtio.ring;

/**
 * Feature bits that change how a virtqueue works (virtio 1.2 section 6, "Reserved Feature Bits"),
 * as bit numbers in the 64-bit feature word. Test with {@link #has(long, int)}.
 */
public final class VirtioRingFeatures {

    /** Bit 28: descriptors may point to an indirect table (the spec's VIRTIO_F_INDIRECT_DESC; 2.7.5.3, 2.8.8). */
    public static final int VIRTIO_F_RING_INDIRECT_DESC = 28;
    /** Bit 29: used_event / avail_event, or packed RING_EVENT_FLAGS_DESC, suppress notifications (the spec's VIRTIO_F_EVENT_IDX; 2.7.7, 2.8.10). */
    public static final int VIRTIO_F_RING_EVENT_IDX = 29;
    /** Bit 32: the device complies with virtio 1.x (little-endian rings). */
    public static final int VIRTIO_F_VERSION_1 = 32;
    /** Bit 33: the device reaches memory through a platform IOMMU; addresses are IOVAs (6). */
    public static final int VIRTIO_F_ACCESS_PLATFORM = 33;
    /** Bit 34: packed virtqueue layout (2.8). */
    public static final int VIRTIO_F_RING_PACKED = 34;
    /** Bit 35: the device uses buffers in the order they were made available (2.7.9, 2.8.13). */
    public static final int VIRTIO_F_IN_ORDER = 35;
    /** Bit 38: available buffer notifications carry the next available position (2.7.23, 2.8.22, 4.1.5.2). */
    public static final int VIRTIO_F_NOTIFICATION_DATA = 38;

    /** The largest queue size either layout allows: 2^15 (2.7, 2.8). */
    public static final int MAX_QUEUE_SIZE = 32768;

    private VirtioRingFeatures() {}

    /** The feature word with only this bit set. */
    public static long bit(int feature) {
        return 1L << feature;
    }

    /** Whether {@code features} has the feature bit {@code feature} set. */
    public static boolean has(long features, int feature) {
        return (features & (1L << feature)) != 0;
    }
}
