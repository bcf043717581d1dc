package virtio.spec;

/**
 * Byte layout of the packed virtqueue (virtio 1.2 section 2.8). All fields little-endian.
 *
 * <pre>
 * Descriptor Ring          (align 16, 16*N): struct pvirtq_desc { le64 addr; le32 len; le16 id; le16 flags; }
 * Driver Event Suppression (align 4, 4):     struct pvirtq_event_suppress { le16 desc (off:15, wrap:1); le16 flags (2 bits); }
 * Device Event Suppression (align 4, 4):     the same structure
 * </pre>
 * N, the Queue Size, is any size from 1 to 2^15 ({@link Virtq#VIRTQ_MAX_SIZE}). The driver area is
 * written by the driver and controls used buffer notifications; the device area is written by the
 * device and controls available buffer notifications (2.8.10). The descriptor flags NEXT, WRITE
 * and INDIRECT are {@link Virtq}'s; AVAIL and USED are the packed ring's own.
 */
public final class VirtqPacked {
    private VirtqPacked() {}

    /** Descriptor flag bit 7 (0x80): equals the driver's wrap counter when the descriptor is made available (2.8.1). */
    public static final int VIRTQ_DESC_F_AVAIL = 1 << 7;
    /** Descriptor flag bit 15 (0x8000): equals the device's wrap counter, as AVAIL does, when it is used (2.8.1). */
    public static final int VIRTQ_DESC_F_USED = 1 << 15;

    /** Event suppression {@code flags} 0x0: notifications enabled (2.8.14). */
    public static final int RING_EVENT_FLAGS_ENABLE = 0x0;
    /** Event suppression {@code flags} 0x1: notifications disabled. */
    public static final int RING_EVENT_FLAGS_DISABLE = 0x1;
    /** Event suppression {@code flags} 0x2: notify at the descriptor {@code desc} names; needs VIRTIO_F_EVENT_IDX. */
    public static final int RING_EVENT_FLAGS_DESC = 0x2;
    /** The two bits of {@code flags} that hold a RING_EVENT_FLAGS_* value; the other 14 are reserved. */
    public static final int RING_EVENT_FLAGS_MASK = 0x3;

    /** Size of {@code struct pvirtq_desc} (2.8.13); an indirect table is a multiple of it (2.8.7). */
    public static final int PVIRTQ_DESC_SIZE = 16;
    /** Offset of {@code le64 addr} in a descriptor. */
    public static final int PVIRTQ_DESC_ADDR = 0;
    /** Offset of {@code le32 len} in a descriptor. */
    public static final int PVIRTQ_DESC_LEN = 8;
    /** Offset of {@code le16 id}, the buffer id, in a descriptor. */
    public static final int PVIRTQ_DESC_ID = 12;
    /** Offset of {@code le16 flags} in a descriptor. */
    public static final int PVIRTQ_DESC_FLAGS = 14;

    /** Size of {@code struct pvirtq_event_suppress} (2.8.14). */
    public static final int PVIRTQ_EVENT_SUPPRESS_SIZE = 4;
    /** Offset of {@code le16 desc}: the event offset in bits 0-14, its wrap counter in bit 15. */
    public static final int PVIRTQ_EVENT_SUPPRESS_DESC = 0;
    /** Offset of {@code le16 flags}: a RING_EVENT_FLAGS_* value in bits 0-1. */
    public static final int PVIRTQ_EVENT_SUPPRESS_FLAGS = 2;
    /** Bits 0-14 of {@code desc}: {@code desc_event_off}, a descriptor ring offset. */
    public static final int PVIRTQ_EVENT_OFF_MASK = 0x7fff;
    /** Bit 15 of {@code desc}: {@code desc_event_wrap}, the wrap counter that goes with the offset. */
    public static final int PVIRTQ_EVENT_WRAP = 1 << 15;

    /** Alignment of the descriptor ring (2.8.10.1). */
    public static final int PVIRTQ_DESC_ALIGN = 16;
    /** Alignment of each event suppression structure, driver's and device's (2.8.10.1). */
    public static final int PVIRTQ_EVENT_SUPPRESS_ALIGN = 4;

    /** Bytes of the descriptor ring for a queue of {@code size}: 16 * N. */
    public static long descRingSize(int size) {
        return (long) PVIRTQ_DESC_SIZE * size;
    }

    /** Whether {@code size} is a valid packed Queue Size: 1 to 2^15 (2.8). */
    public static boolean isValidSize(int size) {
        return size > 0 && size <= Virtq.VIRTQ_MAX_SIZE;
    }
}
