package virtio.ring.internal;

import static virtio.spec.VirtqPacked.PVIRTQ_EVENT_OFF_MASK;
import static virtio.spec.VirtqPacked.PVIRTQ_EVENT_SUPPRESS_DESC;
import static virtio.spec.VirtqPacked.PVIRTQ_EVENT_SUPPRESS_FLAGS;
import static virtio.spec.VirtqPacked.PVIRTQ_EVENT_WRAP;
import static virtio.spec.VirtqPacked.RING_EVENT_FLAGS_DESC;
import static virtio.spec.VirtqPacked.RING_EVENT_FLAGS_DISABLE;
import static virtio.spec.VirtqPacked.RING_EVENT_FLAGS_MASK;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/** Notification suppression decisions and arithmetic shared by both sides of both layouts. */
final class Events {

    private Events() {}

    // A struct pvirtq_event_suppress read or written as one little-endian 32-bit word (2.8.14):
    // each le16 field sits at the bit position of its byte offset.
    private static final int DESC_SHIFT = 8 * PVIRTQ_EVENT_SUPPRESS_DESC;
    private static final int FLAGS_SHIFT = 8 * PVIRTQ_EVENT_SUPPRESS_FLAGS;

    /*
     * The decisions below read the other side's suppression field once, and again after a full
     * fence only if that first read says "no event". A stale "event" is only an extra notification
     * or interrupt, which the spec allows (2.7.7.2, 2.7.10.1, 2.8.10: SHOULD NOT, not MUST NOT); a
     * lost one needs a stale "no event", which is trusted only after the fence orders our own
     * index or flags store before the read (store-load). The read after the fence replaces the
     * first: no decision combines two fetches of the field.
     */

    /**
     * Split ring: whether the other side wants an event now that our index moved from {@code old}
     * to {@code now}. With EVENT_IDX its event index sits at {@code eventOffset} of {@code s};
     * without, its flags at {@code flagsOffset}, where {@code suppressFlag} set means "none".
     */
    static boolean splitWants(MemorySegment s, boolean eventIdx, long eventOffset, long flagsOffset,
            int suppressFlag, int now, int old) {
        if (splitWantsOnce(s, eventIdx, eventOffset, flagsOffset, suppressFlag, now, old)) {
            return true;
        }
        VarHandle.fullFence();
        return splitWantsOnce(s, eventIdx, eventOffset, flagsOffset, suppressFlag, now, old);
    }

    private static boolean splitWantsOnce(MemorySegment s, boolean eventIdx, long eventOffset, long flagsOffset,
            int suppressFlag, int now, int old) {
        // opaque: an untorn read; ordered by the fence in splitWants when it says "no event"
        if (eventIdx) {
            return needEvent(Mem.getOpaque16(s, eventOffset), now, old);
        }
        return (Mem.getOpaque16(s, flagsOffset) & suppressFlag) == 0;
    }

    /**
     * Packed ring: whether the other side, whose event suppression word is at the start of
     * {@code area}, wants an event for our last {@code count} descriptors before ({@code pos},
     * {@code wrap}) in a ring of {@code size}.
     */
    static boolean packedWants(MemorySegment area, boolean eventIdx, int pos, boolean wrap, int count, int size) {
        if (packedWantsOnce(area, eventIdx, pos, wrap, count, size)) {
            return true;
        }
        VarHandle.fullFence();
        return packedWantsOnce(area, eventIdx, pos, wrap, count, size);
    }

    private static boolean packedWantsOnce(MemorySegment area, boolean eventIdx, int pos, boolean wrap, int count,
            int size) {
        // opaque: one untorn 32-bit read of offset and flags; ordered by the fence in packedWants when it says "no event"
        int event = Mem.getOpaque32(area, 0);
        int flags = (event >>> FLAGS_SHIFT) & RING_EVENT_FLAGS_MASK;
        if (flags == RING_EVENT_FLAGS_DISABLE) {
            return false;
        }
        if (flags == RING_EVENT_FLAGS_DESC && eventIdx) {
            return packedNeedEvent((event >>> DESC_SHIFT) & 0xffff, pos, wrap, count, size);
        }
        return true;
    }

    /**
     * Split ring EVENT_IDX rule (2.7.7.2, 2.7.10): notify if the index moved from {@code old} to
     * {@code now} (16-bit, free-running) across {@code event}, that is event in [old, now).
     */
    static boolean needEvent(int event, int now, int old) {
        return ((now - event - 1) & 0xffff) < ((now - old) & 0xffff);
    }

    /**
     * Packed ring RING_EVENT_FLAGS_DESC rule (2.8.10): notify if one of the last {@code count}
     * positions before ({@code now}, {@code nowWrap}) is the descriptor {@code offWrap} names.
     */
    static boolean packedNeedEvent(int offWrap, int now, boolean nowWrap, int count, int size) {
        if (count >= size) {
            return true;
        }
        int off = offWrap & PVIRTQ_EVENT_OFF_MASK;
        boolean wrap = (offWrap & PVIRTQ_EVENT_WRAP) != 0;
        int distance = wrap == nowWrap ? now - off : now + size - off;
        return distance >= 1 && distance <= count;
    }

    /** The packed event suppression word: off_wrap in the low half, flags in the high half. */
    static int packedEvent(int flags, int off, boolean wrap) {
        return flags << FLAGS_SHIFT | (off | (wrap ? PVIRTQ_EVENT_WRAP : 0)) << DESC_SHIFT;
    }
}
