package virtio.ring;

/**
 * Byte layout of the packed virtqueue (virtio 1.2 section 2.8). All fields little-endian.
 *
 * <pre>
 * Descriptor Ring          (align 16, 16*N): struct pvirtq_desc { le64 addr; le32 len; le16 id; le16 flags; }
 * Driver Event Suppression (align 4, 4):     struct pvirtq_event_suppress { le16 desc (off:15, wrap:1); le16 flags (2 bits); }
 * Device Event Suppression (align 4, 4):     same structure
 * </pre>
 * N is any size from 1 to 32768. The driver area is written by the driver and controls used buffer
 * notifications; the device area is written by the device and controls available buffer notifications.
 */
public final class PackedLayout {

    /** Descriptor flag: the buffer continues in the next descriptor of the ring (2.8.6). */
    public static final int VIRTQ_DESC_F_NEXT = 1;
    /** Descriptor flag: device write-only; in a used descriptor, the device wrote {@code len} bytes (2.8.4). */
    public static final int VIRTQ_DESC_F_WRITE = 2;
    /** Descriptor flag: the buffer holds a table of descriptors (2.8.7). */
    public static final int VIRTQ_DESC_F_INDIRECT = 4;
    /** Descriptor flag bit 7: equals the driver's wrap counter when made available (2.8.1). */
    public static final int VIRTQ_DESC_F_AVAIL = 1 << 7;
    /** Descriptor flag bit 15: equals the device's wrap counter (as does AVAIL) when used (2.8.1). */
    public static final int VIRTQ_DESC_F_USED = 1 << 15;

    /** Event suppression flags value: notifications enabled (2.8.10). */
    public static final int RING_EVENT_FLAGS_ENABLE = 0x0;
    /** Event suppression flags value: notifications disabled. */
    public static final int RING_EVENT_FLAGS_DISABLE = 0x1;
    /** Event suppression flags value: notify at the descriptor in {@code desc}; needs EVENT_IDX. */
    public static final int RING_EVENT_FLAGS_DESC = 0x2;

    /** Size of {@code struct pvirtq_desc}. */
    public static final int DESC_SIZE = 16;
    /** Offset of {@code addr} in a descriptor. */
    public static final int DESC_ADDR = 0;
    /** Offset of {@code len} in a descriptor. */
    public static final int DESC_LEN = 8;
    /** Offset of {@code id} (the buffer id) in a descriptor. */
    public static final int DESC_ID = 12;
    /** Offset of {@code flags} in a descriptor. */
    public static final int DESC_FLAGS = 14;

    /** Size of {@code struct pvirtq_event_suppress}. */
    public static final int EVENT_SUPPRESS_SIZE = 4;
    /** Offset of {@code desc} (event offset in bits 0-14, wrap counter in bit 15). */
    public static final int EVENT_OFF_WRAP = 0;
    /** Offset of {@code flags} (RING_EVENT_FLAGS_* in bits 0-1). */
    public static final int EVENT_FLAGS = 2;

    /** Alignment of the descriptor ring. */
    public static final int DESC_ALIGN = 16;
    /** Alignment of each event suppression structure. */
    public static final int EVENT_ALIGN = 4;

    private PackedLayout() {}

    /** Bytes of the descriptor ring for a queue of {@code size}. */
    public static long descRingSize(int size) {
        return (long) DESC_SIZE * size;
    }

    /** Whether {@code size} is a valid packed queue size: 1 to 32768. */
    public static boolean isValidSize(int size) {
        return size > 0 && size <= VirtioRingFeatures.MAX_QUEUE_SIZE;
    }
}
