package virtio.ring.internal;

import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;

/**
 * The broken state both sides of a queue keep: the first refusal wins, is counted once, and stops
 * the queue until it is reset. The field is read directly on hot paths, so it stays a plain field.
 */
abstract class QueueFault {
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
