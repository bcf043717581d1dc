package vdpa.bus.internal;

import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_STATUS;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_STATUS;
import static virtio.spec.VirtioNet.VIRTIO_NET_S_ANNOUNCE;
import static virtio.spec.VirtioNet.VIRTIO_NET_S_LINK_UP;

import driver.core.DeviceInfo;
import java.util.ArrayList;
import java.util.List;
import shell.format.Attributes;
import shell.format.Iproute2;
import shell.format.Listing;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaDevice;
import virtio.net.api.MacAddress;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioIds;
import virtio.spec.VirtioNet;

/**
 * {@code vdpa dev config show [<dev>]} (iproute2's words, the kernel's VDPA_CMD_DEV_CONFIG_GET):
 * a network device's config space as its driver sees it, read through the device's config ops.
 * Text {@code vdpa0: mac 52:54:00:12:34:00 link up link_announce false max_vq_pairs 2 mtu 1500}
 * and, once features are negotiated, {@code negotiated_features MRG_RXBUF CTRL_VQ ...} on the next
 * line; JSON {@code {"config":{"vdpa0":{"mac":...,"negotiated_features":[...]}}}}.
 *
 * <p>As the kernel does, a field is shown only if the device offers the feature that makes it
 * valid (VIRTIO_NET_F_MAC, _STATUS, _MTU); {@code max_vq_pairs} is 1 unless the device offers
 * VIRTIO_NET_F_MQ or VIRTIO_NET_F_RSS; negotiated features only after FEATURES_OK. A field past
 * the end of the device's config space is left out rather than read.
 */
final class VdpaConfigShow {
    private VdpaConfigShow() {}

    /** Reads that see the config generation change are repeated this often, then shown as read (spec 2.5.1). */
    private static final int GENERATION_TRIES = 4;

    /**
     * One device's config; {@code null} fields are not valid for the device.
     *
     * @param negotiatedFeatures names of the negotiated feature bits, or null before FEATURES_OK
     */
    record Config(String device, String mac, String link, Boolean linkAnnounce, int maxVqPairs, Integer mtu,
            List<String> negotiatedFeatures) {}

    static final Iproute2<Config> CONFIG = Iproute2.objects("config", c -> Attributes.of(c.device())
            .put("mac", c.mac())
            .put("link", c.link())
            .put("link_announce", c.linkAnnounce())
            .put("max_vq_pairs", c.maxVqPairs())
            .put("mtu", c.mtu())
            .line("negotiated_features", c.negotiatedFeatures()));

    /** Runs {@code show [<dev>]} (the words after {@code config show}): every network device, or the one named. */
    static Listing<Config> run(VdpaBus bus, List<String> names) {
        if (names.size() > 1) {
            throw new IllegalArgumentException("dev config show takes at most one name, got " + names);
        }
        List<Config> rows = new ArrayList<>();
        if (names.isEmpty()) {
            for (DeviceInfo i : bus.devices()) {
                bus.device(i.name()).filter(d -> d.getDeviceId() == VirtioIds.VIRTIO_ID_NET)
                        .ifPresent(d -> rows.add(read(i.name(), d)));
            }
        } else {
            String name = names.get(0);
            VdpaDevice d = bus.device(name).orElseThrow(() -> new IllegalArgumentException("no device '" + name + "'"));
            if (d.getDeviceId() != VirtioIds.VIRTIO_ID_NET) {
                throw new IllegalArgumentException("device '" + name + "' is not a network device (virtio device id "
                        + d.getDeviceId() + "): no config to show");
            }
            rows.add(read(name, d));
        }
        return Listing.of(rows, CONFIG);
    }

    static Config read(String name, VdpaDevice d) {
        Config c = null;
        for (int i = 0; i < GENERATION_TRIES; i++) {
            int generation = d.getGeneration();
            c = readOnce(name, d);
            if (d.getGeneration() == generation) {
                break;
            }
        }
        return c;
    }

    private static Config readOnce(String name, VdpaDevice d) {
        long offered = d.getDeviceFeatures();
        int size = d.getConfigSize();
        String mac = VirtioFeatures.has(offered, VIRTIO_NET_F_MAC) && size >= VIRTIO_NET_CONFIG_MAC + 6
                ? MacAddress.of(d.getConfig(VIRTIO_NET_CONFIG_MAC, 6)).toString() : null;
        String link = null;
        Boolean announce = null;
        if (VirtioFeatures.has(offered, VIRTIO_NET_F_STATUS) && size >= VIRTIO_NET_CONFIG_STATUS + 2) {
            int status = le16(d, VIRTIO_NET_CONFIG_STATUS);
            link = (status & VIRTIO_NET_S_LINK_UP) != 0 ? "up" : "down";
            announce = (status & VIRTIO_NET_S_ANNOUNCE) != 0;
        }
        Integer mtu = VirtioFeatures.has(offered, VIRTIO_NET_F_MTU) && size >= VIRTIO_NET_CONFIG_MTU + 2
                ? le16(d, VIRTIO_NET_CONFIG_MTU) : null;
        List<String> negotiated = DeviceStatus.FEATURES_OK.in(d.getStatus()) ? VirtioNames.features(d.getDriverFeatures(), true) : null;
        return new Config(name, mac, link, announce, maxVqPairs(d, offered), mtu, negotiated);
    }

    /**
     * The queue pairs a network device exposes with {@code features} ({@link VirtioNet#queuePairs}:
     * {@code max_virtqueue_pairs} with VIRTIO_NET_F_MQ or VIRTIO_NET_F_RSS, else one).
     */
    static int maxVqPairs(VdpaDevice d, long features) {
        return VirtioNet.queuePairs(features, maxVirtqueuePairs(d));
    }

    /** The config field {@code max_virtqueue_pairs}, at least one; one if the config space ends before it. */
    static int maxVirtqueuePairs(VdpaDevice d) {
        return d.getConfigSize() < VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS + 2 ? 1 : Math.max(1, le16(d, VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS));
    }

    private static int le16(VdpaDevice d, int offset) {
        byte[] b = d.getConfig(offset, 2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }
}
