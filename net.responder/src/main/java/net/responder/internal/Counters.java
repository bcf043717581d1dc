package net.responder.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one interface's responder did, by {@link Outcome}: kept by interface name, so they add up
 * across a driver leaving and coming back. Moved by every receive queue's thread (an atomic add,
 * no allocation).
 */
final class Counters {

    private static final Outcome[] ALL = Outcome.values();
    private final AtomicLongArray counts = new AtomicLongArray(ALL.length);

    void inc(Outcome o) {
        counts.getAndIncrement(o.ordinal());
    }

    long get(Outcome o) {
        return counts.get(o.ordinal());
    }

    /** Every counter by its word, in declaration order. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Outcome o : ALL) {
            m.put(o.word, counts.get(o.ordinal()));
        }
        return m;
    }
}
