package virtio.ring.internal;

import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;

/**
 * The broken state both sides of a queue keep: the first refusal wins, is counted once, and stops
 * the queue until it is reset. The field is read directly on hot paths, so it stays a plain field.
 */
abstract class QueueFault {
    /*
     * 128 bytes nothing uses. A superclass's fields come first in HotSpot's object layout, so every
     * queue's own fields begin at least this far past the end of whatever object lies before it.
     * The driver and the device of a queue run on two threads and the collector may place their
     * objects side by side; without this their hot fields can share a cache line, and each side's
     * stores then evict the other's (seen: a run-to-run swing between 8 and 18 M buffers/s).
     */
    @SuppressWarnings("unused")
    private long pad0, pad1, pad2, pad3, pad4, pad5, pad6, pad7;
    @SuppressWarnings("unused")
    private long pad8, pad9, pad10, pad11, pad12, pad13, pad14, pad15;

    private final RingErrorCounter errors;
    /** Why the queue broke, or null; only the owning thread writes it. */
    RingError broken;

    QueueFault(RingErrorCounter errors) {
        this.errors = errors;
    }

    public final boolean isBroken() {
        return broken != null;
    }

    public final RingError brokenReason() {
        return broken;
    }

    public final RingErrorCounter errors() {
        return errors;
    }

    /** Marks the queue broken (the first reason wins) and counts the reason. */
    final void markBroken(RingError reason) {
        if (broken == null) {
            broken = reason;
            errors.record(reason);
        }
    }
}
