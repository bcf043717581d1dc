package vdpa.sim.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One virtqueue's counters. Most have one writer, the device worker (a plain read and an ordered
 * write, no atomic instruction); the few that other threads also move (a sender dropping a frame
 * this device cannot take, a driver kicking: {@link Stat#shared}) are counted with an atomic add. Counters only grow; a
 * virtio reset leaves them, like a NIC's, so they add up over a device's whole life.
 */
final class QueueStats {

    private static final Stat[] ALL = Stat.values();
    private final AtomicLongArray counts = new AtomicLongArray(ALL.length);

    /** Adds {@code n}: from any thread for a {@link Stat#shared} counter, else only under the device lock. */
    void add(Stat s, long n) {
        int i = s.ordinal();
        if (s.shared) {
            counts.getAndAdd(i, n);
        } else {
            // ordered store: readers on other threads see a recent value; one writer, so no update is lost
            counts.lazySet(i, counts.get(i) + n);
        }
    }

    /** Adds one; see {@link #add}. */
    void inc(Stat s) {
        add(s, 1);
    }

    /** One counter's value (a TAP link reads its port's not-ready drops this way). */
    long get(Stat s) {
        return counts.get(s.ordinal());
    }

    /** The counters shown for a queue or link of {@code role}, in declaration order. */
    Map<String, Long> snapshot(Stat.Role role) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Stat s : ALL) {
            // ANY is every queue's; a link is not a queue
            if (s.role == role || s.role == Stat.Role.ANY && role.queue()) {
                m.put(s.word, counts.get(s.ordinal()));
            }
        }
        return m;
    }
}
