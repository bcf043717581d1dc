package virtio.net.api;

/**
 * Ethernet sizes a frame is checked against (IEEE 802.3; the kernel's uapi if_ether.h). Frames
 * cross {@link NetDevice} without FCS. The virtio-net numbers are the {@code virtio.spec}
 * bundle's ({@code virtio.spec.VirtioNet}).
 */
public final class Ethernet {
    private Ethernet() {}

    /** Bytes of the header: destination, source, EtherType. */
    public static final int ETH_HLEN = 14;
    /** The smallest frame without FCS a driver may send. */
    public static final int ETH_ZLEN = 60;
    /**
     * IEEE 802 local experimental EtherType 1: test frames no protocol stack takes for its own
     * (generators and benchmarks send it).
     */
    public static final int ETH_P_802_EX1 = 0x88B5;
}
