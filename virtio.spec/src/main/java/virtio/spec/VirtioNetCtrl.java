package virtio.spec;

/**
 * The virtio-net control virtqueue (virtio 1.2 section 5.1.6.5): each command is
 * <pre>struct virtio_net_ctrl { u8 class; u8 command; u8 command-specific-data[]; u8 ack; }</pre>
 * with class, command and data device-readable and {@code ack} device-writable. Classes and their
 * commands below; each class needs its feature bit ({@link VirtioNet}).
 */
public final class VirtioNetCtrl {
    private VirtioNetCtrl() {}

    /** Offset of {@code u8 class} in a command. */
    public static final int VIRTIO_NET_CTRL_CLASS = 0;
    /** Offset of {@code u8 command} in a command. */
    public static final int VIRTIO_NET_CTRL_COMMAND = 1;
    /** Bytes of {@code class} and {@code command}, before the command-specific data. */
    public static final int VIRTIO_NET_CTRL_HDR_SIZE = 2;

    /** {@code ack} 0: the command succeeded. */
    public static final int VIRTIO_NET_OK = 0;
    /** {@code ack} 1: the command failed and changed nothing. */
    public static final int VIRTIO_NET_ERR = 1;

    /** Class 0, RX mode (VIRTIO_NET_F_CTRL_RX; 5.1.6.5.1): data is one byte, 0 off or 1 on. */
    public static final int VIRTIO_NET_CTRL_RX = 0;
    /** RX command 0: promiscuous mode. */
    public static final int VIRTIO_NET_CTRL_RX_PROMISC = 0;
    /** RX command 1: receive all multicast. */
    public static final int VIRTIO_NET_CTRL_RX_ALLMULTI = 1;
    /** RX command 2: receive all unicast (VIRTIO_NET_F_CTRL_RX_EXTRA). */
    public static final int VIRTIO_NET_CTRL_RX_ALLUNI = 2;
    /** RX command 3: receive no multicast (VIRTIO_NET_F_CTRL_RX_EXTRA). */
    public static final int VIRTIO_NET_CTRL_RX_NOMULTI = 3;
    /** RX command 4: receive no unicast (VIRTIO_NET_F_CTRL_RX_EXTRA). */
    public static final int VIRTIO_NET_CTRL_RX_NOUNI = 4;
    /** RX command 5: receive no broadcast (VIRTIO_NET_F_CTRL_RX_EXTRA). */
    public static final int VIRTIO_NET_CTRL_RX_NOBCAST = 5;

    /**
     * Class 1, MAC address filtering (5.1.6.5.2). TABLE_SET data is two
     * {@code struct virtio_net_ctrl_mac { le32 entries; u8 macs[entries][6]; }}, unicast then
     * multicast (VIRTIO_NET_F_CTRL_RX); ADDR_SET data is {@code u8 mac[6]} (VIRTIO_NET_F_CTRL_MAC_ADDR).
     */
    public static final int VIRTIO_NET_CTRL_MAC = 1;
    /** MAC command 0: set the unicast and multicast filter tables. */
    public static final int VIRTIO_NET_CTRL_MAC_TABLE_SET = 0;
    /** MAC command 1: set the default MAC address. */
    public static final int VIRTIO_NET_CTRL_MAC_ADDR_SET = 1;
    /** Bytes of {@code le32 entries} at the start of each {@code struct virtio_net_ctrl_mac}. */
    public static final int VIRTIO_NET_CTRL_MAC_ENTRIES_SIZE = 4;

    /** Class 2, VLAN filtering (VIRTIO_NET_F_CTRL_VLAN; 5.1.6.5.3): data is {@code le16 vid}. */
    public static final int VIRTIO_NET_CTRL_VLAN = 2;
    /** VLAN command 0: accept the VLAN id. */
    public static final int VIRTIO_NET_CTRL_VLAN_ADD = 0;
    /** VLAN command 1: stop accepting the VLAN id. */
    public static final int VIRTIO_NET_CTRL_VLAN_DEL = 1;

    /** Class 3, gratuitous packet sending (VIRTIO_NET_F_GUEST_ANNOUNCE; 5.1.6.5.4). */
    public static final int VIRTIO_NET_CTRL_ANNOUNCE = 3;
    /** ANNOUNCE command 0: the driver has announced itself; the device clears VIRTIO_NET_S_ANNOUNCE. */
    public static final int VIRTIO_NET_CTRL_ANNOUNCE_ACK = 0;

    /** Class 4, multiqueue (VIRTIO_NET_F_MQ; 5.1.6.5.5). */
    public static final int VIRTIO_NET_CTRL_MQ = 4;
    /** MQ command 0: data {@code le16 virtqueue_pairs}, within MIN..MAX and {@code max_virtqueue_pairs}. */
    public static final int VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET = 0;
    /** The fewest queue pairs VQ_PAIRS_SET may ask for. */
    public static final int VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN = 1;
    /** The most queue pairs VQ_PAIRS_SET may ask for. */
    public static final int VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX = 0x8000;

    /** Class 5, offloads state configuration (VIRTIO_NET_F_CTRL_GUEST_OFFLOADS; 5.1.6.5.8). */
    public static final int VIRTIO_NET_CTRL_GUEST_OFFLOADS = 5;
    /** GUEST_OFFLOADS command 0: data {@code le64 offloads}, the GUEST_* feature bits to enable. */
    public static final int VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET = 0;
}
