package virtio.spec;

/**
 * {@code struct virtio_net_hdr} (virtio 1.2 section 5.1.6), the header in front of every packet
 * on receiveq and transmitq, little-endian:
 * <pre>
 * u8 flags; u8 gso_type; le16 hdr_len; le16 gso_size; le16 csum_start; le16 csum_offset; le16 num_buffers;
 * (le32 hash_value; le16 hash_report; le16 padding_reserved;   only with VIRTIO_NET_F_HASH_REPORT)
 * </pre>
 * With VIRTIO_F_VERSION_1 {@code num_buffers} is always present, so without hash reports the
 * header is {@link #VIRTIO_NET_HDR_SIZE} bytes.
 */
public final class VirtioNetHdr {
    private VirtioNetHdr() {}

    /** Offset of {@code u8 flags} (VIRTIO_NET_HDR_F_*). */
    public static final int VIRTIO_NET_HDR_FLAGS = 0;
    /** Offset of {@code u8 gso_type} (VIRTIO_NET_HDR_GSO_*). */
    public static final int VIRTIO_NET_HDR_GSO_TYPE = 1;
    /** Offset of {@code le16 hdr_len}. */
    public static final int VIRTIO_NET_HDR_HDR_LEN = 2;
    /** Offset of {@code le16 gso_size}. */
    public static final int VIRTIO_NET_HDR_GSO_SIZE = 4;
    /** Offset of {@code le16 csum_start}. */
    public static final int VIRTIO_NET_HDR_CSUM_START = 6;
    /** Offset of {@code le16 csum_offset}. */
    public static final int VIRTIO_NET_HDR_CSUM_OFFSET = 8;
    /** Offset of {@code le16 num_buffers}: the buffers a received packet spans, 1 without VIRTIO_NET_F_MRG_RXBUF (5.1.6.4). */
    public static final int VIRTIO_NET_HDR_NUM_BUFFERS = 10;
    /** Header size with VIRTIO_F_VERSION_1 and without VIRTIO_NET_F_HASH_REPORT: through {@code num_buffers}. */
    public static final int VIRTIO_NET_HDR_SIZE = 12;

    /** {@code flags} 1: the packet needs a checksum from {@code csum_start}, stored at {@code csum_offset}. */
    public static final int VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
    /** {@code flags} 2: the checksum of the received packet is valid. */
    public static final int VIRTIO_NET_HDR_F_DATA_VALID = 2;
    /** {@code flags} 4: {@code csum_start}/{@code csum_offset} carry coalescing information (VIRTIO_NET_F_RSC_EXT). */
    public static final int VIRTIO_NET_HDR_F_RSC_INFO = 4;

    /** {@code gso_type} 0: not a GSO frame. */
    public static final int VIRTIO_NET_HDR_GSO_NONE = 0;
    /** {@code gso_type} 1: TCPv4 segmentation. */
    public static final int VIRTIO_NET_HDR_GSO_TCPV4 = 1;
    /** {@code gso_type} 3: UDP fragmentation (UFO). */
    public static final int VIRTIO_NET_HDR_GSO_UDP = 3;
    /** {@code gso_type} 4: TCPv6 segmentation. */
    public static final int VIRTIO_NET_HDR_GSO_TCPV6 = 4;
    /** {@code gso_type} bit 0x80: the TCP segments carry ECN. */
    public static final int VIRTIO_NET_HDR_GSO_ECN = 0x80;
}
