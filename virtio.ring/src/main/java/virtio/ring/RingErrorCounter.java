package virtio.ring;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-reason counts of refused ring input. Thread-safe; one counter may serve several queues
 * (a device's queues share one). The first occurrence of each reason is logged as a warning on
 * the {@code virtio.ring} {@link System.Logger}; later ones are only counted, so a hostile peer
 * cannot flood the log.
 */
public final class RingErrorCounter {

    private static final System.Logger LOG = System.getLogger("virtio.ring");
    private static final RingError[] REASONS = RingError.values();

    private final String name;
    private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

    /** @param name names the queue or device in the log line */
    public RingErrorCounter(String name) {
        this.name = name;
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /** Counts one occurrence of {@code reason}, logging it if it is the first. */
    public void record(RingError reason) {
        if (counts.getAndIncrement(reason.ordinal()) == 0) {
            LOG.log(System.Logger.Level.WARNING, "virtqueue {0} broken: {1}", name, reason);
        }
    }

    /** How often {@code reason} was recorded. */
    public long count(RingError reason) {
        return counts.get(reason.ordinal());
    }

    /** How many refusals were recorded in all. */
    public long total() {
        long sum = 0;
        for (int i = 0; i < REASONS.length; i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    /** The non-zero counts, in reason order. */
    public Map<RingError, Long> snapshot() {
        Map<RingError, Long> out = new EnumMap<>(RingError.class);
        for (RingError r : REASONS) {
            long c = counts.get(r.ordinal());
            if (c != 0) {
                out.put(r, c);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name + snapshot();
    }
}
