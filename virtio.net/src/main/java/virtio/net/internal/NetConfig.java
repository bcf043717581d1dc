package virtio.net.internal;

import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_STATUS;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_STATUS;
import static virtio.spec.VirtioNet.VIRTIO_NET_S_LINK_UP;
import static virtio.spec.VirtioNet.queuePairs;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import virtio.bus.ConfigSpace;
import virtio.bus.VirtioDevice;
import virtio.net.api.MacAddress;
import virtio.spec.VirtioFeatures;

/**
 * The fields of {@code struct virtio_net_config} (spec 5.1.4) the driver uses, read in one
 * generation-checked read so no field comes from a different config version. A field whose
 * feature was not negotiated reads as the spec's default.
 *
 * @param mac the device's MAC, or a random locally administered one without VIRTIO_NET_F_MAC
 *     (the kernel's eth_hw_addr_random)
 * @param linkUp {@code status & VIRTIO_NET_S_LINK_UP}; always up without VIRTIO_NET_F_STATUS (5.1.4.2)
 * @param maxPairs N, the queue pairs of the layout: {@code max_virtqueue_pairs} with VIRTIO_NET_F_MQ or
 *     VIRTIO_NET_F_RSS, else 1 (5.1.2)
 * @param mtu {@code mtu} with VIRTIO_NET_F_MTU, else 1500
 */
record NetConfig(MacAddress mac, boolean linkUp, int maxPairs, int mtu) {

    /** The MTU without VIRTIO_NET_F_MTU (the kernel's ETH_DATA_LEN). */
    static final int DEFAULT_MTU = 1500;

    /** Bytes from {@code mac} through {@code mtu}. */
    private static final int FIELDS = VIRTIO_NET_CONFIG_MTU + 2;

    static NetConfig read(VirtioDevice device, long features) {
        byte[] c = ConfigSpace.read(device, 0, Math.min(FIELDS, device.configSize()));
        byte[] cfg = Arrays.copyOf(c, FIELDS);
        MacAddress mac = VirtioFeatures.has(features, VIRTIO_NET_F_MAC)
                ? MacAddress.of(Arrays.copyOfRange(cfg, VIRTIO_NET_CONFIG_MAC, VIRTIO_NET_CONFIG_MAC + 6)) : randomMac();
        boolean up = !VirtioFeatures.has(features, VIRTIO_NET_F_STATUS)
                || (le16(cfg, VIRTIO_NET_CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP) != 0;
        int pairs = queuePairs(features, le16(cfg, VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS));
        int mtu = VirtioFeatures.has(features, VIRTIO_NET_F_MTU) ? le16(cfg, VIRTIO_NET_CONFIG_MTU) : DEFAULT_MTU;
        return new NetConfig(mac, up, pairs, mtu);
    }

    /** Only the status field, for config changes (generation-checked). */
    static boolean readLinkUp(VirtioDevice device, long features) {
        return !VirtioFeatures.has(features, VIRTIO_NET_F_STATUS)
                || (ConfigSpace.readLe16(device, VIRTIO_NET_CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP) != 0;
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static MacAddress randomMac() {
        long v = ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL;
        // clear the group bit, set the locally administered bit (first octet x2, x6, xa, xe)
        v = (v & ~(1L << 40)) | (1L << 41);
        return new MacAddress(v);
    }
}
