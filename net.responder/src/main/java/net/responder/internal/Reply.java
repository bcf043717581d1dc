package net.responder.internal;

import java.lang.foreign.MemorySegment;

/**
 * Where the replies of one receive queue are built: one buffer of the interface's largest frame,
 * made once, and a view of it for each length, made the first time that length is sent (a
 * {@code NetDevice} sends a whole segment), so a warm queue answers without allocating.
 */
final class Reply {

    final MemorySegment buffer;
    private final MemorySegment[] views;
    /** The length of the reply last built. */
    int length;

    Reply(int maxFrame) {
        this.buffer = MemorySegment.ofArray(new byte[maxFrame]);
        this.views = new MemorySegment[maxFrame + 1];
    }

    /** The reply last built, {@link #length} bytes. */
    MemorySegment frame() {
        MemorySegment v = views[length];
        if (v == null) {
            v = buffer.asSlice(0, length);
            views[length] = v;
        }
        return v;
    }
}
