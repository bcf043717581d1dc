package virtio.spec;

/**
 * The value of an available buffer notification when VIRTIO_F_NOTIFICATION_DATA is negotiated
 * (virtio 1.2 section 2.9; its PCI encoding in 4.1.5.2):
 * <pre>le32 { vqn : 16; next_off : 15; next_wrap : 1; }</pre>
 * For a split ring {@code next_off} is the 15 low bits and {@code next_wrap} bit 15 of the
 * available index the driver will write next, so together they are that 16-bit index; for a
 * packed ring they are the offset of the next descriptor the driver will make available and its
 * wrap counter.
 */
public final class NotificationData {

    private NotificationData() {}

    /** Bits 0-15: {@code vqn}, the queue notified. */
    private static final int VQN_MASK = 0xffff;
    /** {@code next_off} starts at bit 16. */
    private static final int NEXT_OFF_SHIFT = 16;
    /** {@code next_off} is 15 bits wide. */
    private static final int NEXT_OFF_MASK = 0x7fff;
    /** Bit 31: {@code next_wrap}. */
    private static final int NEXT_WRAP = 1 << 31;

    /** Notification value for a split ring: queue number and the next available index. */
    public static int split(int vqn, int nextAvailIdx) {
        return (vqn & VQN_MASK) | (nextAvailIdx & 0xffff) << NEXT_OFF_SHIFT;
    }

    /** Notification value for a packed ring: queue number, next offset and wrap counter. */
    public static int packed(int vqn, int nextOff, boolean nextWrap) {
        return (vqn & VQN_MASK) | (nextOff & NEXT_OFF_MASK) << NEXT_OFF_SHIFT | (nextWrap ? NEXT_WRAP : 0);
    }

    /** The queue number of a notification value. */
    public static int vqn(int data) {
        return data & VQN_MASK;
    }

    /** The split ring available index ({@code next_off} and {@code next_wrap} read as one 16-bit value). */
    public static int splitAvailIdx(int data) {
        return data >>> NEXT_OFF_SHIFT;
    }

    /** The packed ring descriptor offset. */
    public static int nextOff(int data) {
        return (data >>> NEXT_OFF_SHIFT) & NEXT_OFF_MASK;
    }

    /** The packed ring wrap counter. */
    public static boolean nextWrap(int data) {
        return (data & NEXT_WRAP) != 0;
    }
}
