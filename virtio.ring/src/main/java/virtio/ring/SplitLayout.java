package virtio.ring;

/**
 * Byte layout of the split virtqueue (virtio 1.2 section 2.7). All fields little-endian.
 *
 * <pre>
 * Descriptor Table (align 16, 16*N):  struct virtq_desc { le64 addr; le32 len; le16 flags; le16 next; }
 * Available Ring   (align 2, 6+2*N):  le16 flags; le16 idx; le16 ring[N]; le16 used_event;
 * Used Ring        (align 4, 6+8*N):  le16 flags; le16 idx; struct { le32 id; le32 len; } ring[N]; le16 avail_event;
 * </pre>
 * N is a power of two up to 32768.
 */
public final class SplitLayout {

    /** Descriptor flag: the buffer continues in the descriptor named by {@code next} (2.7.5). */
    public static final int VIRTQ_DESC_F_NEXT = 1;
    /** Descriptor flag: the buffer is device write-only, else device read-only (2.7.5). */
    public static final int VIRTQ_DESC_F_WRITE = 2;
    /** Descriptor flag: the buffer holds a table of descriptors (2.7.5.3). */
    public static final int VIRTQ_DESC_F_INDIRECT = 4;
    /** Available ring flag: the driver does not want used buffer notifications (2.7.7). */
    public static final int VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
    /** Used ring flag: the device does not want available buffer notifications (2.7.10). */
    public static final int VIRTQ_USED_F_NO_NOTIFY = 1;

    /** Size of {@code struct virtq_desc}. */
    public static final int DESC_SIZE = 16;
    /** Offset of {@code addr} in a descriptor. */
    public static final int DESC_ADDR = 0;
    /** Offset of {@code len} in a descriptor. */
    public static final int DESC_LEN = 8;
    /** Offset of {@code flags} in a descriptor. */
    public static final int DESC_FLAGS = 12;
    /** Offset of {@code next} in a descriptor. */
    public static final int DESC_NEXT = 14;

    /** Offset of {@code flags} in the available ring. */
    public static final int AVAIL_FLAGS = 0;
    /** Offset of {@code idx} in the available ring. */
    public static final int AVAIL_IDX = 2;
    /** Offset of {@code ring[0]} in the available ring; entries are 2 bytes. */
    public static final int AVAIL_RING = 4;

    /** Offset of {@code flags} in the used ring. */
    public static final int USED_FLAGS = 0;
    /** Offset of {@code idx} in the used ring. */
    public static final int USED_IDX = 2;
    /** Offset of {@code ring[0]} in the used ring. */
    public static final int USED_RING = 4;
    /** Size of {@code struct virtq_used_elem}: le32 id at 0, le32 len at 4. */
    public static final int USED_ELEM_SIZE = 8;

    /** Alignment of the descriptor table. */
    public static final int DESC_ALIGN = 16;
    /** Alignment of the available ring. */
    public static final int AVAIL_ALIGN = 2;
    /** Alignment of the used ring. */
    public static final int USED_ALIGN = 4;

    private SplitLayout() {}

    /** Bytes of the descriptor table for a queue of {@code size}. */
    public static long descTableSize(int size) {
        return (long) DESC_SIZE * size;
    }

    /** Bytes of the available ring, used_event included. */
    public static long availRingSize(int size) {
        return 6L + 2L * size;
    }

    /** Bytes of the used ring, avail_event included. */
    public static long usedRingSize(int size) {
        return 6L + (long) USED_ELEM_SIZE * size;
    }

    /** Offset of {@code used_event} (after {@code ring[size]}) in the available ring. */
    public static long usedEventOffset(int size) {
        return AVAIL_RING + 2L * size;
    }

    /** Offset of {@code avail_event} (after {@code ring[size]}) in the used ring. */
    public static long availEventOffset(int size) {
        return USED_RING + (long) USED_ELEM_SIZE * size;
    }

    /** Whether {@code size} is a valid split queue size: a power of two from 1 to 32768. */
    public static boolean isValidSize(int size) {
        return size > 0 && size <= VirtioRingFeatures.MAX_QUEUE_SIZE && Integer.bitCount(size) == 1;
    }
}
