package virtio.ring;

/**
 * The value of an available buffer notification when VIRTIO_F_NOTIFICATION_DATA is negotiated
 * (virtio 1.2 sections 2.7.23, 2.8.22 and 4.1.5.2):
 * <pre>le32 { vqn : 16; next_off : 15; next_wrap : 1; }</pre>
 * For a split ring {@code next_off}/{@code next_wrap} together are the 16-bit available index
 * the driver will write next; for a packed ring they are the offset of the next descriptor the
 * driver will make available and its wrap counter.
 */
public final class NotificationData {

    private NotificationData() {}

    /** Notification value for a split ring: queue number and the next available index. */
    public static int split(int vqn, int nextAvailIdx) {
        return (vqn & 0xffff) | (nextAvailIdx & 0xffff) << 16;
    }

    /** Notification value for a packed ring: queue number, next offset and wrap counter. */
    public static int packed(int vqn, int nextOff, boolean nextWrap) {
        return (vqn & 0xffff) | (nextOff & 0x7fff) << 16 | (nextWrap ? 1 << 31 : 0);
    }

    /** The queue number of a notification value. */
    public static int vqn(int data) {
        return data & 0xffff;
    }

    /** The split ring available index (next_off and next_wrap read as one 16-bit value). */
    public static int splitAvailIdx(int data) {
        return data >>> 16;
    }

    /** The packed ring descriptor offset. */
    public static int nextOff(int data) {
        return (data >>> 16) & 0x7fff;
    }

    /** The packed ring wrap counter. */
    public static boolean nextWrap(int data) {
        return data < 0;
    }
}
