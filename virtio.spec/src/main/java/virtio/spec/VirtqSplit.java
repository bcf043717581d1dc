package virtio.spec;

/**
 * Byte layout of the split virtqueue (virtio 1.2 section 2.7). All fields little-endian.
 *
 * <pre>
 * Descriptor Table (align 16, 16*N):  struct virtq_desc { le64 addr; le32 len; le16 flags; le16 next; }
 * Available Ring   (align 2, 6+2*N):  struct virtq_avail { le16 flags; le16 idx; le16 ring[N]; le16 used_event; }
 * Used Ring        (align 4, 6+8*N):  struct virtq_used { le16 flags; le16 idx; struct virtq_used_elem ring[N]; le16 avail_event; }
 *                                     struct virtq_used_elem { le32 id; le32 len; }
 * </pre>
 * N, the Queue Size, is a power of two up to {@link Virtq#VIRTQ_MAX_SIZE}. The descriptor flags
 * are {@link Virtq}'s; {@code used_event} and {@code avail_event} exist with
 * {@link VirtioFeatures#VIRTIO_F_EVENT_IDX}.
 */
public final class VirtqSplit {
    private VirtqSplit() {}

    /** Available ring flag 1: the driver does not want used buffer notifications (2.7.7). */
    public static final int VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
    /** Used ring flag 1: the device does not want available buffer notifications (2.7.10). */
    public static final int VIRTQ_USED_F_NO_NOTIFY = 1;

    /** Size of {@code struct virtq_desc} (2.7.5); an indirect table is a multiple of it (2.7.5.3). */
    public static final int VIRTQ_DESC_SIZE = 16;
    /** Offset of {@code le64 addr} in a descriptor. */
    public static final int VIRTQ_DESC_ADDR = 0;
    /** Offset of {@code le32 len} in a descriptor. */
    public static final int VIRTQ_DESC_LEN = 8;
    /** Offset of {@code le16 flags} in a descriptor (VIRTQ_DESC_F_*). */
    public static final int VIRTQ_DESC_FLAGS = 12;
    /** Offset of {@code le16 next} in a descriptor: the chain's next descriptor with VIRTQ_DESC_F_NEXT. */
    public static final int VIRTQ_DESC_NEXT = 14;

    /** Offset of {@code le16 flags} in the available ring (2.7.6). */
    public static final int VIRTQ_AVAIL_FLAGS = 0;
    /** Offset of {@code le16 idx} in the available ring: where the driver puts the next entry, modulo N. */
    public static final int VIRTQ_AVAIL_IDX = 2;
    /** Offset of {@code ring[0]} in the available ring. */
    public static final int VIRTQ_AVAIL_RING = 4;
    /** Size of an available ring entry, {@code le16} (a descriptor chain's head). */
    public static final int VIRTQ_AVAIL_ELEM_SIZE = 2;

    /** Offset of {@code le16 flags} in the used ring (2.7.8). */
    public static final int VIRTQ_USED_FLAGS = 0;
    /** Offset of {@code le16 idx} in the used ring: where the device puts the next entry, modulo N. */
    public static final int VIRTQ_USED_IDX = 2;
    /** Offset of {@code ring[0]} in the used ring. */
    public static final int VIRTQ_USED_RING = 4;
    /** Size of {@code struct virtq_used_elem}: {@code le32 id} at 0 (the chain's head), {@code le32 len} at 4 (bytes written). */
    public static final int VIRTQ_USED_ELEM_SIZE = 8;

    /** Alignment of the descriptor table (2.7 table). */
    public static final int VIRTQ_DESC_ALIGN = 16;
    /** Alignment of the available ring. */
    public static final int VIRTQ_AVAIL_ALIGN = 2;
    /** Alignment of the used ring. */
    public static final int VIRTQ_USED_ALIGN = 4;

    /** Bytes of the descriptor table for a queue of {@code size}: 16 * N. */
    public static long descTableSize(int size) {
        return (long) VIRTQ_DESC_SIZE * size;
    }

    /** Bytes of the available ring, {@code used_event} included: 6 + 2 * N. */
    public static long availRingSize(int size) {
        return usedEventOffset(size) + 2;
    }

    /** Bytes of the used ring, {@code avail_event} included: 6 + 8 * N. */
    public static long usedRingSize(int size) {
        return availEventOffset(size) + 2;
    }

    /** Offset of {@code le16 used_event} (after {@code ring[N]}) in the available ring (2.7.7). */
    public static long usedEventOffset(int size) {
        return VIRTQ_AVAIL_RING + (long) VIRTQ_AVAIL_ELEM_SIZE * size;
    }

    /** Offset of {@code le16 avail_event} (after {@code ring[N]}) in the used ring (2.7.10). */
    public static long availEventOffset(int size) {
        return VIRTQ_USED_RING + (long) VIRTQ_USED_ELEM_SIZE * size;
    }

    /** Whether {@code size} is a valid split Queue Size: a power of two from 1 to 32768 (2.7). */
    public static boolean isValidSize(int size) {
        return size > 0 && size <= Virtq.VIRTQ_MAX_SIZE && Integer.bitCount(size) == 1;
    }
}
