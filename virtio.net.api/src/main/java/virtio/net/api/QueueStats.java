package virtio.net.api;

import java.util.Map;

/**
 * Counters of one queue pair since the NetDevice appeared (the kernel's per-queue
 * {@code ip -s link} and ethtool {@code rx_queue_N_*} numbers). A snapshot: each field is exact,
 * the fields are not one atomic picture.
 *
 * @param queue the queue pair, 0-based
 * @param rxFrames frames delivered to a handler or a poller
 * @param rxBytes bytes of those frames (Ethernet header included, virtio-net header not)
 * @param txFrames frames the device used (sent)
 * @param txBytes bytes of those frames
 * @param txBusy sends refused with {@link SendResult#BUSY} (back-pressure, not drops: the caller kept them)
 * @param txInvalid sends refused with {@link SendResult#INVALID_LENGTH}
 * @param drops frames lost, by reason; reasons that never happened are absent
 */
public record QueueStats(int queue, long rxFrames, long rxBytes, long txFrames, long txBytes, long txBusy,
        long txInvalid, Map<DropReason, Long> drops) {

    /** Copies the drop map. */
    public QueueStats {
        drops = Map.copyOf(drops);
    }

    /** Received frames lost, all RX reasons together. */
    public long rxDropped() {
        return sum("RX_");
    }

    /** Accepted frames lost, all TX reasons together. */
    public long txDropped() {
        return sum("TX_");
    }

    private long sum(String prefix) {
        long n = 0;
        for (Map.Entry<DropReason, Long> e : drops.entrySet()) {
            if (e.getKey().name().startsWith(prefix)) {
                n += e.getValue();
            }
        }
        return n;
    }
}
