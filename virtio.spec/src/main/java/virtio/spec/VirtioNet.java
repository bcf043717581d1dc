package virtio.spec;

/**
 * The virtio network device (virtio 1.2 section 5.1): its feature bits, {@code struct
 * virtio_net_config}, and the virtqueue layout rules of section 5.1.2, which every user of the
 * layout (driver, device, listings) takes from here. The packet header is {@link VirtioNetHdr},
 * the control queue's commands {@link VirtioNetCtrl}. All multi-byte fields are little-endian.
 */
public final class VirtioNet {
    private VirtioNet() {}

    // ---- feature bits (section 5.1.3; bit numbers) ------------------------------------------------

    /** Bit 0: the device handles packets with partial checksum. */
    public static final int VIRTIO_NET_F_CSUM = 0;
    /** Bit 1: the driver handles packets with partial checksum. */
    public static final int VIRTIO_NET_F_GUEST_CSUM = 1;
    /** Bit 2: control channel offloads reconfiguration (5.1.6.5.8). */
    public static final int VIRTIO_NET_F_CTRL_GUEST_OFFLOADS = 2;
    /** Bit 3: the device reports its maximum MTU in {@code mtu}. */
    public static final int VIRTIO_NET_F_MTU = 3;
    /** Bit 5: the device has given MAC address {@code mac}. */
    public static final int VIRTIO_NET_F_MAC = 5;
    /** Bit 7: the driver can receive TSOv4. */
    public static final int VIRTIO_NET_F_GUEST_TSO4 = 7;
    /** Bit 8: the driver can receive TSOv6. */
    public static final int VIRTIO_NET_F_GUEST_TSO6 = 8;
    /** Bit 9: the driver can receive TSO with ECN. */
    public static final int VIRTIO_NET_F_GUEST_ECN = 9;
    /** Bit 10: the driver can receive UFO. */
    public static final int VIRTIO_NET_F_GUEST_UFO = 10;
    /** Bit 11: the device can receive TSOv4. */
    public static final int VIRTIO_NET_F_HOST_TSO4 = 11;
    /** Bit 12: the device can receive TSOv6. */
    public static final int VIRTIO_NET_F_HOST_TSO6 = 12;
    /** Bit 13: the device can receive TSO with ECN. */
    public static final int VIRTIO_NET_F_HOST_ECN = 13;
    /** Bit 14: the device can receive UFO. */
    public static final int VIRTIO_NET_F_HOST_UFO = 14;
    /** Bit 15: the driver can merge receive buffers; {@code num_buffers} says how many a packet spans (5.1.6.3). */
    public static final int VIRTIO_NET_F_MRG_RXBUF = 15;
    /** Bit 16: the configuration {@code status} field is available. */
    public static final int VIRTIO_NET_F_STATUS = 16;
    /** Bit 17: the control channel (controlq) is available (5.1.6.5). */
    public static final int VIRTIO_NET_F_CTRL_VQ = 17;
    /** Bit 18: control channel RX mode support (5.1.6.5.1). */
    public static final int VIRTIO_NET_F_CTRL_RX = 18;
    /** Bit 19: control channel VLAN filtering (5.1.6.5.3). */
    public static final int VIRTIO_NET_F_CTRL_VLAN = 19;
    /** Bit 20: control channel RX mode extras: ALLUNI, NOMULTI, NOUNI, NOBCAST (5.1.6.5.1). */
    public static final int VIRTIO_NET_F_CTRL_RX_EXTRA = 20;
    /** Bit 21: the driver can send gratuitous packets (5.1.6.5.4). */
    public static final int VIRTIO_NET_F_GUEST_ANNOUNCE = 21;
    /** Bit 22: multiqueue with automatic receive steering; {@code max_virtqueue_pairs} is valid (5.1.6.5.5). */
    public static final int VIRTIO_NET_F_MQ = 22;
    /** Bit 23: set the MAC address through the control channel (5.1.6.5.2). */
    public static final int VIRTIO_NET_F_CTRL_MAC_ADDR = 23;
    /** Bit 52: per-virtqueue notification coalescing (virtio 1.3 section 5.1.3). */
    public static final int VIRTIO_NET_F_VQ_NOTF_COAL = 52;
    /** Bit 53: device notification coalescing (virtio 1.3 section 5.1.3). */
    public static final int VIRTIO_NET_F_NOTF_COAL = 53;
    /** Bit 54: the driver can receive USOv4 (virtio 1.3 section 5.1.3). */
    public static final int VIRTIO_NET_F_GUEST_USO4 = 54;
    /** Bit 55: the driver can receive USOv6 (virtio 1.3 section 5.1.3). */
    public static final int VIRTIO_NET_F_GUEST_USO6 = 55;
    /** Bit 56: the device can receive USO. */
    public static final int VIRTIO_NET_F_HOST_USO = 56;
    /** Bit 57: the device can report a per-packet hash (5.1.6.4.3). */
    public static final int VIRTIO_NET_F_HASH_REPORT = 57;
    /** Bit 59: the driver provides the exact {@code hdr_len}. */
    public static final int VIRTIO_NET_F_GUEST_HDRLEN = 59;
    /** Bit 60: receive-side scaling; {@code max_virtqueue_pairs} is valid (5.1.6.5.7). */
    public static final int VIRTIO_NET_F_RSS = 60;
    /** Bit 61: extended RSC coalescing info. */
    public static final int VIRTIO_NET_F_RSC_EXT = 61;
    /** Bit 62: the device may act as a standby for a primary device with the same MAC. */
    public static final int VIRTIO_NET_F_STANDBY = 62;
    /** Bit 63: the device reports {@code speed} and {@code duplex}. */
    public static final int VIRTIO_NET_F_SPEED_DUPLEX = 63;

    // ---- struct virtio_net_config (section 5.1.4; byte offsets) -----------------------------------

    /** {@code u8 mac[6]} at offset 0; valid with VIRTIO_NET_F_MAC. */
    public static final int VIRTIO_NET_CONFIG_MAC = 0;
    /** {@code le16 status} at offset 6 (VIRTIO_NET_S_*); exists with VIRTIO_NET_F_STATUS. */
    public static final int VIRTIO_NET_CONFIG_STATUS = 6;
    /** {@code le16 max_virtqueue_pairs} at offset 8; exists with VIRTIO_NET_F_MQ or VIRTIO_NET_F_RSS. */
    public static final int VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS = 8;
    /** {@code le16 mtu} at offset 10; exists with VIRTIO_NET_F_MTU. */
    public static final int VIRTIO_NET_CONFIG_MTU = 10;
    /** {@code le32 speed} at offset 12, in Mbit/s, 0xffffffff unknown; exists with VIRTIO_NET_F_SPEED_DUPLEX. */
    public static final int VIRTIO_NET_CONFIG_SPEED = 12;
    /** {@code u8 duplex} at offset 16: 0x01 full, 0x00 half, 0xff unknown; exists with VIRTIO_NET_F_SPEED_DUPLEX. */
    public static final int VIRTIO_NET_CONFIG_DUPLEX = 16;
    /**
     * Size of the whole structure, through {@code u8 rss_max_key_size} (17),
     * {@code le16 rss_max_indirection_table_length} (18) and {@code le32 supported_hash_types} (20).
     */
    public static final int VIRTIO_NET_CONFIG_SIZE = 24;

    /** {@code status} bit 1: the link is up. */
    public static final int VIRTIO_NET_S_LINK_UP = 1;
    /** {@code status} bit 2: the driver should announce itself (5.1.6.5.4). */
    public static final int VIRTIO_NET_S_ANNOUNCE = 2;

    /** The smallest {@code mtu} a device may report (5.1.4.1). */
    public static final int VIRTIO_NET_MIN_MTU = 68;
    /** The largest {@code mtu} a device may report (5.1.4.1). */
    public static final int VIRTIO_NET_MAX_MTU = 65535;

    /**
     * Whether {@code max_virtqueue_pairs} is one a device may report: 1 to 0x8000
     * ({@link VirtioNetCtrl#VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN} to
     * {@link VirtioNetCtrl#VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX}; 5.1.4.1).
     */
    public static boolean validMaxVirtqueuePairs(int pairs) {
        return pairs >= VirtioNetCtrl.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN && pairs <= VirtioNetCtrl.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX;
    }

    // ---- virtqueues (section 5.1.2) ---------------------------------------------------------------

    /** receiveq(pair+1): queue {@code 2 * pair} for the 0-based {@code pair}. */
    public static int receiveQueue(int pair) {
        return 2 * pair;
    }

    /** transmitq(pair+1): queue {@code 2 * pair + 1} for the 0-based {@code pair}. */
    public static int transmitQueue(int pair) {
        return 2 * pair + 1;
    }

    /**
     * N, the queue pairs of the layout (5.1.2): {@code max_virtqueue_pairs} if VIRTIO_NET_F_MQ or
     * VIRTIO_NET_F_RSS is negotiated, else 1. The caller has checked the value it passes
     * ({@link #validMaxVirtqueuePairs}); it is not read without either feature.
     *
     * @param features the negotiated features
     * @param maxVirtqueuePairs the config field {@code max_virtqueue_pairs}
     */
    public static int queuePairs(long features, int maxVirtqueuePairs) {
        boolean pairsValid = VirtioFeatures.has(features, VIRTIO_NET_F_MQ) || VirtioFeatures.has(features, VIRTIO_NET_F_RSS);
        return pairsValid ? maxVirtqueuePairs : 1;
    }

    /**
     * The index of controlq (5.1.2): 2N, after the last of the {@link #queuePairs} pairs, or -1
     * when VIRTIO_NET_F_CTRL_VQ is not negotiated (then there is no controlq).
     */
    public static int controlQueue(long features, int maxVirtqueuePairs) {
        return VirtioFeatures.has(features, VIRTIO_NET_F_CTRL_VQ) ? 2 * queuePairs(features, maxVirtqueuePairs) : -1;
    }

    /** How many virtqueues the layout has: 2N, plus controlq with VIRTIO_NET_F_CTRL_VQ (5.1.2). */
    public static int queueCount(long features, int maxVirtqueuePairs) {
        int pairs = 2 * queuePairs(features, maxVirtqueuePairs);
        return VirtioFeatures.has(features, VIRTIO_NET_F_CTRL_VQ) ? pairs + 1 : pairs;
    }
}
