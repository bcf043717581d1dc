package vdpa.bus.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Display names for device classes and feature bits, as iproute2's {@code vdpa} prints them. Only
 * for listings: vdpa.bus otherwise treats ids and features as raw values (see package-info).
 */
final class VirtioNames {
    private VirtioNames() {}

    static final int VIRTIO_ID_NET = 1;

    /** Class words of {@code mgmtdev show supported_classes}. */
    private static final Map<Integer, String> CLASSES = Map.of(1, "net", 2, "block", 3, "console", 4, "rng",
            5, "balloon", 8, "scsi", 16, "gpu", 18, "input", 19, "vsock", 26, "fs");

    /** Type words of {@code dev show type}. */
    private static final Map<Integer, String> TYPES = Map.of(1, "network", 2, "block");

    private static final Map<Integer, String> TRANSPORT = Map.ofEntries(
            Map.entry(24, "NOTIFY_ON_EMPTY"), Map.entry(27, "ANY_LAYOUT"), Map.entry(28, "INDIRECT_DESC"),
            Map.entry(29, "EVENT_IDX"), Map.entry(32, "VERSION_1"), Map.entry(33, "ACCESS_PLATFORM"),
            Map.entry(34, "RING_PACKED"), Map.entry(35, "IN_ORDER"), Map.entry(36, "ORDER_PLATFORM"),
            Map.entry(37, "SR_IOV"), Map.entry(38, "NOTIFICATION_DATA"), Map.entry(39, "NOTIF_CONFIG_DATA"),
            Map.entry(40, "RING_RESET"), Map.entry(41, "ADMIN_VQ"));

    // Network device features, virtio spec 5.1.3.
    private static final Map<Integer, String> NET = Map.ofEntries(
            Map.entry(0, "CSUM"), Map.entry(1, "GUEST_CSUM"), Map.entry(2, "CTRL_GUEST_OFFLOADS"), Map.entry(3, "MTU"),
            Map.entry(5, "MAC"), Map.entry(7, "GUEST_TSO4"), Map.entry(8, "GUEST_TSO6"), Map.entry(9, "GUEST_ECN"),
            Map.entry(10, "GUEST_UFO"), Map.entry(11, "HOST_TSO4"), Map.entry(12, "HOST_TSO6"), Map.entry(13, "HOST_ECN"),
            Map.entry(14, "HOST_UFO"), Map.entry(15, "MRG_RXBUF"), Map.entry(16, "STATUS"), Map.entry(17, "CTRL_VQ"),
            Map.entry(18, "CTRL_RX"), Map.entry(19, "CTRL_VLAN"), Map.entry(20, "CTRL_RX_EXTRA"),
            Map.entry(21, "GUEST_ANNOUNCE"), Map.entry(22, "MQ"), Map.entry(23, "CTRL_MAC_ADDR"),
            Map.entry(52, "VQ_NOTF_COAL"), Map.entry(53, "NOTF_COAL"), Map.entry(54, "GUEST_USO4"),
            Map.entry(55, "GUEST_USO6"), Map.entry(56, "HOST_USO"), Map.entry(57, "HASH_REPORT"),
            Map.entry(59, "GUEST_HDRLEN"), Map.entry(60, "RSS"), Map.entry(61, "RSC_EXT"), Map.entry(62, "STANDBY"),
            Map.entry(63, "SPEED_DUPLEX"));

    static String className(int id) {
        return CLASSES.getOrDefault(id, "id_" + id);
    }

    static String typeName(int id) {
        return TYPES.getOrDefault(id, CLASSES.getOrDefault(id, "id_" + id));
    }

    /** Names of the set bits, lowest first; device-type names only for network devices; others {@code bit_N}. */
    static List<String> features(long features, boolean net) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((features & (1L << bit)) == 0) {
                continue;
            }
            String n = TRANSPORT.get(bit);
            if (n == null && net) {
                n = NET.get(bit);
            }
            names.add(n != null ? n : "bit_" + bit);
        }
        return names;
    }
}
