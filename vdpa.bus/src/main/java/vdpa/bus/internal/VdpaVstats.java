package vdpa.bus.internal;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import shell.format.Attributes;
import shell.format.Iproute2;
import shell.format.Listing;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaVendorStatsOps;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioIds;
import virtio.spec.VirtioNet;

/**
 * {@code vdpa dev vstats show <dev> qidx <N>} (iproute2's words): the vendor counters of one
 * virtqueue, from {@link VdpaVendorStatsOps}. The text is iproute2's line,
 * {@code vdpa0: queue_index 0 queue_type rx name rx_frames value 10 name rx_bytes value 640};
 * the JSON keeps the counters in one object, {@code {"vstats":{"vdpa0":{"queue_index":0,
 * "queue_type":"rx","stats":{"rx_frames":10,...}}}}}, because iproute2's repeated
 * {@code name}/{@code value} keys are not valid JSON.
 */
final class VdpaVstats {
    private VdpaVstats() {}

    /**
     * What {@code vstats show} prints.
     *
     * @param queueType rx, tx or control_vq for a network device whose features are negotiated, else null
     */
    record Row(String device, int queueIndex, String queueType, Map<String, Long> stats) {}

    /** {@code vdpa0: queue_index 0 queue_type rx name rx_frames value 10}; the counters unsigned, as the kernel's u64. */
    static final Iproute2<Row> VSTATS = Iproute2.objects("vstats", r -> Attributes.of(r.device())
            .put("queue_index", r.queueIndex())
            .put("queue_type", r.queueType())
            .nameValues("stats", unsigned(r.stats())));

    /** Runs {@code show <dev> qidx <N>} (the words after {@code vstats}). */
    static Listing<Row> run(VdpaBus bus, List<String> words) {
        if (words.size() != 4 || !words.get(0).equals("show") || !words.get(2).equals("qidx")) {
            throw new IllegalArgumentException("usage: dev vstats show <dev> qidx <N>");
        }
        String name = words.get(1);
        VdpaDevice d = bus.device(name).orElseThrow(() -> new IllegalArgumentException("no device '" + name + "'"));
        if (!(d instanceof VdpaVendorStatsOps s)) {
            throw new IllegalArgumentException("device '" + name + "' keeps no vendor statistics (no get_vendor_vq_stats)");
        }
        String q = words.get(3);
        if (!q.matches("[0-9]{1,5}") || Integer.parseInt(q) >= d.vqCount()) {
            throw new IllegalArgumentException("invalid qidx '" + q + "': device '" + name + "' has queues 0.." + (d.vqCount() - 1));
        }
        int idx = Integer.parseInt(q);
        return Listing.of(List.of(new Row(name, idx, queueType(d, idx), new LinkedHashMap<>(s.vendorVqStats(idx)))), VSTATS);
    }

    private static Map<String, Number> unsigned(Map<String, Long> stats) {
        Map<String, Number> out = new LinkedHashMap<>();
        stats.forEach((k, v) -> out.put(k, v >= 0 ? v : new BigInteger(Long.toUnsignedString(v))));
        return out;
    }

    /**
     * The kernel names a net queue only once features are negotiated, because the layout depends
     * on them (virtio 1.2 section 5.1.2, {@link VirtioNet#controlQueue}).
     */
    private static String queueType(VdpaDevice d, int idx) {
        if (d.getDeviceId() != VirtioIds.VIRTIO_ID_NET || !DeviceStatus.FEATURES_OK.in(d.getStatus())) {
            return null;
        }
        long f = d.getDriverFeatures();
        int max = VdpaConfigShow.maxVirtqueuePairs(d);
        if (idx == VirtioNet.controlQueue(f, max)) {
            return "control_vq";
        }
        return idx < 2 * VirtioNet.queuePairs(f, max) ? (idx % 2 == 0 ? "rx" : "tx") : null;
    }
}
