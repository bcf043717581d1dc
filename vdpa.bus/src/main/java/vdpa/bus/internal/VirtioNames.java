package vdpa.bus.internal;

import static virtio.spec.VirtioIds.VIRTIO_ID_BALLOON;
import static virtio.spec.VirtioIds.VIRTIO_ID_BLOCK;
import static virtio.spec.VirtioIds.VIRTIO_ID_CONSOLE;
import static virtio.spec.VirtioIds.VIRTIO_ID_FS;
import static virtio.spec.VirtioIds.VIRTIO_ID_GPU;
import static virtio.spec.VirtioIds.VIRTIO_ID_INPUT;
import static virtio.spec.VirtioIds.VIRTIO_ID_NET;
import static virtio.spec.VirtioIds.VIRTIO_ID_RNG;
import static virtio.spec.VirtioIds.VIRTIO_ID_SCSI;
import static virtio.spec.VirtioIds.VIRTIO_ID_VSOCK;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import virtio.spec.FeatureNames;

/**
 * Display names for device classes and feature bits, as iproute2's {@code vdpa} prints them. Only
 * for listings: vdpa.bus otherwise treats ids and features as raw values (see package-info). The
 * numbers and the feature names are virtio.spec's; the class words are iproute2's.
 */
final class VirtioNames {
    private VirtioNames() {}

    /** Class words of {@code mgmtdev show supported_classes}. */
    private static final Map<Integer, String> CLASSES = Map.of(VIRTIO_ID_NET, "net", VIRTIO_ID_BLOCK, "block",
            VIRTIO_ID_CONSOLE, "console", VIRTIO_ID_RNG, "rng", VIRTIO_ID_BALLOON, "balloon", VIRTIO_ID_SCSI, "scsi",
            VIRTIO_ID_GPU, "gpu", VIRTIO_ID_INPUT, "input", VIRTIO_ID_VSOCK, "vsock", VIRTIO_ID_FS, "fs");

    /** Type words of {@code dev show type}. */
    private static final Map<Integer, String> TYPES = Map.of(VIRTIO_ID_NET, "network", VIRTIO_ID_BLOCK, "block");

    /** The spec names' prefixes iproute2 leaves out: {@code VIRTIO_F_VERSION_1} prints as {@code VERSION_1}. */
    private static final List<String> PREFIXES = List.of("VIRTIO_F_", "VIRTIO_NET_F_");

    static String className(int id) {
        return CLASSES.getOrDefault(id, "id_" + id);
    }

    static String typeName(int id) {
        return TYPES.getOrDefault(id, CLASSES.getOrDefault(id, "id_" + id));
    }

    /**
     * Names of the set bits, lowest first: device-independent ones for any device, network ones
     * only for network devices, others {@code bit_N}.
     */
    static List<String> features(long features, boolean net) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((features & (1L << bit)) == 0) {
                continue;
            }
            String n = FeatureNames.of(net ? VIRTIO_ID_NET : 0, bit);
            names.add(n != null ? shortName(n) : "bit_" + bit);
        }
        return names;
    }

    private static String shortName(String specName) {
        for (String p : PREFIXES) {
            if (specName.startsWith(p)) {
                return specName.substring(p.length());
            }
        }
        return specName;
    }
}
