package virtio.net.api;

/**
 * virtio-net wire constants and layouts (virtio 1.2 section 5.1), spec names kept. All multi-byte
 * fields are little-endian.
 */
public final class VirtioNetWire {
    private VirtioNetWire() {}

    /** Device ID of a network card (section 5.1.1). */
    public static final int VIRTIO_ID_NET = 1;

    // ---- feature bits (section 5.1.3) ----------------------------------------------------------
    public static final int VIRTIO_NET_F_CSUM = 0;
    public static final int VIRTIO_NET_F_GUEST_CSUM = 1;
    public static final int VIRTIO_NET_F_CTRL_GUEST_OFFLOADS = 2;
    /** Device maximum MTU reporting is supported: config field {@code mtu} is valid. */
    public static final int VIRTIO_NET_F_MTU = 3;
    /** Device has given MAC address: config field {@code mac} is valid. */
    public static final int VIRTIO_NET_F_MAC = 5;
    public static final int VIRTIO_NET_F_GUEST_TSO4 = 7;
    public static final int VIRTIO_NET_F_GUEST_TSO6 = 8;
    public static final int VIRTIO_NET_F_GUEST_ECN = 9;
    public static final int VIRTIO_NET_F_GUEST_UFO = 10;
    public static final int VIRTIO_NET_F_HOST_TSO4 = 11;
    public static final int VIRTIO_NET_F_HOST_TSO6 = 12;
    public static final int VIRTIO_NET_F_HOST_ECN = 13;
    public static final int VIRTIO_NET_F_HOST_UFO = 14;
    /** Driver can merge receive buffers: one packet may span several, {@code num_buffers} says how many. */
    public static final int VIRTIO_NET_F_MRG_RXBUF = 15;
    /** Configuration status field is available. */
    public static final int VIRTIO_NET_F_STATUS = 16;
    /** Control channel is available. */
    public static final int VIRTIO_NET_F_CTRL_VQ = 17;
    /** Control channel RX mode support. */
    public static final int VIRTIO_NET_F_CTRL_RX = 18;
    /** Control channel VLAN filtering. */
    public static final int VIRTIO_NET_F_CTRL_VLAN = 19;
    public static final int VIRTIO_NET_F_CTRL_RX_EXTRA = 20;
    public static final int VIRTIO_NET_F_GUEST_ANNOUNCE = 21;
    /** Device supports multiqueue with automatic receive steering. */
    public static final int VIRTIO_NET_F_MQ = 22;
    /** Set MAC address through control channel. */
    public static final int VIRTIO_NET_F_CTRL_MAC_ADDR = 23;
    public static final int VIRTIO_NET_F_HASH_REPORT = 57;
    public static final int VIRTIO_NET_F_RSS = 60;
    public static final int VIRTIO_NET_F_SPEED_DUPLEX = 63;

    /** The mask of a feature bit. */
    public static long bit(int feature) {
        return 1L << feature;
    }

    // ---- device configuration layout (section 5.1.4, struct virtio_net_config) ----------------
    /** {@code u8 mac[6]} at offset 0. */
    public static final int CONFIG_MAC = 0;
    /** {@code le16 status} at offset 6 (VIRTIO_NET_F_STATUS). */
    public static final int CONFIG_STATUS = 6;
    /** {@code le16 max_virtqueue_pairs} at offset 8 (VIRTIO_NET_F_MQ or RSS). */
    public static final int CONFIG_MAX_VIRTQUEUE_PAIRS = 8;
    /** {@code le16 mtu} at offset 10 (VIRTIO_NET_F_MTU). */
    public static final int CONFIG_MTU = 10;
    /** {@code le32 speed} at offset 12 (VIRTIO_NET_F_SPEED_DUPLEX), in Mbit/s; -1 unknown. */
    public static final int CONFIG_SPEED = 12;
    /** {@code u8 duplex} at offset 16: 0 half, 1 full, 0xff unknown. */
    public static final int CONFIG_DUPLEX = 16;
    /** Size of the configuration fields up to and including {@code duplex}, padded to the next field. */
    public static final int CONFIG_SIZE = 24;

    /** Status bit: link is up. */
    public static final int VIRTIO_NET_S_LINK_UP = 1;
    /** Status bit: the driver should announce itself (gratuitous ARP). */
    public static final int VIRTIO_NET_S_ANNOUNCE = 2;

    /** The MTU limits a device may report (section 5.1.4.1: at least 68). */
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;

    // ---- virtqueues (section 5.1.2) ------------------------------------------------------------
    /** receiveqN for queue pair {@code pair} (0-based). */
    public static int rxQueue(int pair) {
        return 2 * pair;
    }

    /** transmitqN for queue pair {@code pair} (0-based). */
    public static int txQueue(int pair) {
        return 2 * pair + 1;
    }

    /** controlq: after the last queue pair ({@code max_virtqueue_pairs} with MQ or RSS, else 1). */
    public static int ctrlQueue(int maxPairs) {
        return 2 * maxPairs;
    }

    // ---- struct virtio_net_hdr (section 5.1.6) -------------------------------------------------
    /** Header length with VIRTIO_F_VERSION_1 (num_buffers always present) and no hash report. */
    public static final int HDR_LEN = 12;
    /** {@code u8 flags}. */
    public static final int HDR_FLAGS = 0;
    /** {@code u8 gso_type}. */
    public static final int HDR_GSO_TYPE = 1;
    /** {@code le16 hdr_len}. */
    public static final int HDR_HDR_LEN = 2;
    /** {@code le16 gso_size}. */
    public static final int HDR_GSO_SIZE = 4;
    /** {@code le16 csum_start}. */
    public static final int HDR_CSUM_START = 6;
    /** {@code le16 csum_offset}. */
    public static final int HDR_CSUM_OFFSET = 8;
    /** {@code le16 num_buffers}: buffers a received packet spans (1 without MRG_RXBUF). */
    public static final int HDR_NUM_BUFFERS = 10;

    public static final int VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
    public static final int VIRTIO_NET_HDR_F_DATA_VALID = 2;
    public static final int VIRTIO_NET_HDR_F_RSC_INFO = 4;
    public static final int VIRTIO_NET_HDR_GSO_NONE = 0;
    public static final int VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    public static final int VIRTIO_NET_HDR_GSO_UDP = 3;
    public static final int VIRTIO_NET_HDR_GSO_TCPV6 = 4;
    public static final int VIRTIO_NET_HDR_GSO_ECN = 0x80;

    // ---- control virtqueue (section 5.1.6.5): {u8 class; u8 command; data...; u8 ack} ----------
    public static final int VIRTIO_NET_OK = 0;
    public static final int VIRTIO_NET_ERR = 1;

    /** Class RX: data is one byte, 0 off / 1 on (VIRTIO_NET_F_CTRL_RX). */
    public static final int VIRTIO_NET_CTRL_RX = 0;
    public static final int VIRTIO_NET_CTRL_RX_PROMISC = 0;
    public static final int VIRTIO_NET_CTRL_RX_ALLMULTI = 1;
    public static final int VIRTIO_NET_CTRL_RX_ALLUNI = 2;
    public static final int VIRTIO_NET_CTRL_RX_NOMULTI = 3;
    public static final int VIRTIO_NET_CTRL_RX_NOUNI = 4;
    public static final int VIRTIO_NET_CTRL_RX_NOBCAST = 5;

    /**
     * Class MAC. TABLE_SET data: two {@code struct virtio_net_ctrl_mac {le32 entries; u8 macs[entries][6];}},
     * unicast then multicast. ADDR_SET data: {@code u8 mac[6]} (VIRTIO_NET_F_CTRL_MAC_ADDR).
     */
    public static final int VIRTIO_NET_CTRL_MAC = 1;
    public static final int VIRTIO_NET_CTRL_MAC_TABLE_SET = 0;
    public static final int VIRTIO_NET_CTRL_MAC_ADDR_SET = 1;

    public static final int VIRTIO_NET_CTRL_VLAN = 2;
    public static final int VIRTIO_NET_CTRL_VLAN_ADD = 0;
    public static final int VIRTIO_NET_CTRL_VLAN_DEL = 1;

    public static final int VIRTIO_NET_CTRL_ANNOUNCE = 3;
    public static final int VIRTIO_NET_CTRL_ANNOUNCE_ACK = 0;

    /** Class MQ. VQ_PAIRS_SET data: {@code le16 virtqueue_pairs}, within MIN..MAX and max_virtqueue_pairs. */
    public static final int VIRTIO_NET_CTRL_MQ = 4;
    public static final int VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET = 0;
    public static final int VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN = 1;
    public static final int VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX = 0x8000;

    public static final int VIRTIO_NET_CTRL_GUEST_OFFLOADS = 5;
    public static final int VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET = 0;

    /** Ethernet: the smallest frame without FCS a driver may send, and header size. */
    public static final int ETH_ZLEN = 60;
    public static final int ETH_HLEN = 14;
}
