package virtio.net.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import virtio.net.api.DropReason;
import virtio.net.api.QueueStats;

/** The counters of one queue pair. Thread-safe: senders, the pair's worker and pollers all count. */
final class Counters {
    private static final DropReason[] REASONS = DropReason.values();

    final LongAdder rxFrames = new LongAdder();
    final LongAdder rxBytes = new LongAdder();
    final LongAdder txFrames = new LongAdder();
    final LongAdder txBytes = new LongAdder();
    final LongAdder txBusy = new LongAdder();
    final LongAdder txInvalid = new LongAdder();
    private final AtomicLongArray drops = new AtomicLongArray(REASONS.length);

    void received(long bytes) {
        rxFrames.increment();
        rxBytes.add(bytes);
    }

    void sent(long bytes) {
        txFrames.increment();
        txBytes.add(bytes);
    }

    void drop(DropReason reason) {
        drops.incrementAndGet(reason.ordinal());
    }

    void drop(DropReason reason, long count) {
        if (count > 0) {
            drops.addAndGet(reason.ordinal(), count);
        }
    }

    QueueStats snapshot(int queue) {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            long n = drops.get(r.ordinal());
            if (n != 0) {
                d.put(r, n);
            }
        }
        return new QueueStats(queue, rxFrames.sum(), rxBytes.sum(), txFrames.sum(), txBytes.sum(), txBusy.sum(),
                txInvalid.sum(), d);
    }
}
