package vdpa.sim.internal;

import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_STATUS;
import static virtio.spec.VirtioNet.VIRTIO_NET_S_LINK_UP;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import virtio.net.api.MacAddress;

/**
 * The device's {@code struct virtio_net_config} (virtio 1.2 section 5.1.4), little-endian, up to
 * and including {@code mtu}: {@code u8 mac[6]} at 0, {@code le16 status} at 6,
 * {@code le16 max_virtqueue_pairs} at 8, {@code le16 mtu} at 10. Every field is read-only to the
 * driver. Setters say whether a field changed, so the device can move the config generation
 * ({@link SimDevice#configChanged()}). Guarded by the device lock.
 */
final class NetConfigSpace {

    /** Bytes of config space: through {@code mtu}. */
    static final int SIZE = VIRTIO_NET_CONFIG_MTU + 2;
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes = new byte[SIZE];
    private final MemorySegment seg = MemorySegment.ofArray(bytes);

    NetConfigSpace(MacAddress mac, int maxVqp, int mtu) {
        System.arraycopy(mac.octets(), 0, bytes, VIRTIO_NET_CONFIG_MAC, 6);
        seg.set(LE16, VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS, (short) maxVqp);
        seg.set(LE16, VIRTIO_NET_CONFIG_MTU, (short) mtu);
    }

    /** Copies out a range already checked against {@link #SIZE}. */
    void read(int offset, MemorySegment dst) {
        MemorySegment.copy(seg, offset, dst, 0, dst.byteSize());
    }

    /** Sets the MAC; returns whether config changed. */
    boolean setMac(long mac) {
        if (MacAddress.read(seg, VIRTIO_NET_CONFIG_MAC) == mac) {
            return false;
        }
        System.arraycopy(new MacAddress(mac).octets(), 0, bytes, VIRTIO_NET_CONFIG_MAC, 6);
        return true;
    }

    boolean linkUp() {
        return (seg.get(LE16, VIRTIO_NET_CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP) != 0;
    }

    /** Sets VIRTIO_NET_S_LINK_UP; returns whether config changed. */
    boolean setLinkUp(boolean up) {
        if (linkUp() == up) {
            return false;
        }
        seg.set(LE16, VIRTIO_NET_CONFIG_STATUS, (short) (up ? VIRTIO_NET_S_LINK_UP : 0));
        return true;
    }
}
