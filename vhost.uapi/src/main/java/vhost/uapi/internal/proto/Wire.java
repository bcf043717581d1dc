package vhost.uapi.internal.proto;

/**
 * The vhost-user wire numbers (QEMU docs/interop/vhost-user.rst) that are not request numbers:
 * header layout and flags, protocol feature bits, ring index flags, limits. Every message is a
 * 12-byte header ({@code u32 request; u32 flags; u32 size}) then {@code size} bytes of payload,
 * native-endian (little-endian on every host this runs on); descriptors travel as SCM_RIGHTS
 * with the header.
 */
public final class Wire {
    private Wire() {}

    public static final int HEADER_SIZE = 12;
    /** Flags bits 0-1: the protocol version, 1. */
    public static final int VERSION = 0x1;
    public static final int VERSION_MASK = 0x3;
    /** Flags bit 2: this is a reply. */
    public static final int REPLY = 0x4;
    /** Flags bit 3: the sender wants a reply (with REPLY_ACK negotiated). */
    public static final int NEED_REPLY = 0x8;

    /** Virtio feature bit 30: the back-end speaks GET/SET_PROTOCOL_FEATURES. */
    public static final int VHOST_USER_F_PROTOCOL_FEATURES = 30;

    // protocol feature bits
    public static final int PROTOCOL_F_MQ = 0;
    public static final int PROTOCOL_F_LOG_SHMFD = 1;
    public static final int PROTOCOL_F_RARP = 2;
    public static final int PROTOCOL_F_REPLY_ACK = 3;
    public static final int PROTOCOL_F_NET_MTU = 4;
    public static final int PROTOCOL_F_BACKEND_REQ = 5;
    public static final int PROTOCOL_F_CONFIG = 9;
    public static final int PROTOCOL_F_RESET_DEVICE = 13;
    public static final int PROTOCOL_F_CONFIGURE_MEM_SLOTS = 15;
    public static final int PROTOCOL_F_STATUS = 16;

    /** Back-end request: the device's config space changed (on the back-end channel). */
    public static final int BACKEND_CONFIG_CHANGE_MSG = 2;

    /** SET_VRING_KICK/CALL/ERR: the ring index bits of the u64. */
    public static final long VRING_IDX_MASK = 0xff;
    /** SET_VRING_KICK/CALL/ERR: no descriptor comes; the other side polls. */
    public static final long VRING_NOFD_MASK = 0x100;

    /** Regions SET_MEM_TABLE carries at most (VHOST_MEMORY_BASELINE_NREGIONS). */
    public static final int MAX_TABLE_REGIONS = 8;
    /** Size of one memory region on the wire: gpa, size, user address, mmap offset, each u64. */
    public static final int REGION_SIZE = 32;
    /** Size of a vring state (u32 index, u32 num). */
    public static final int VRING_STATE_SIZE = 8;
    /** Size of a vring address (u32 index, u32 flags, u64 desc, used, avail, log). */
    public static final int VRING_ADDR_SIZE = 40;
    /** Config access header (u32 offset, u32 size, u32 flags) before the bytes. */
    public static final int CONFIG_HEADER_SIZE = 12;
    /** The most config bytes one access carries (VHOST_USER_MAX_CONFIG_SIZE). */
    public static final int MAX_CONFIG_SIZE = 256;
    /** The largest payload any served request has: a config access. */
    public static final int MAX_PAYLOAD = CONFIG_HEADER_SIZE + MAX_CONFIG_SIZE;

    /** Memory slots offered with CONFIGURE_MEM_SLOTS (rust-vmm's count; far above DPDK's 8). */
    public static final int MAX_MEM_SLOTS = 509;

    /** The mask of a feature bit. */
    public static long bit(int b) {
        return 1L << b;
    }
}
