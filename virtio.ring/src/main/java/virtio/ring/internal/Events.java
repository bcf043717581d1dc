package virtio.ring.internal;

/** Notification suppression arithmetic shared by both sides. */
final class Events {

    private Events() {}

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
        int off = offWrap & 0x7fff;
        boolean wrap = (offWrap & 0x8000) != 0;
        int distance = wrap == nowWrap ? now - off : now + size - off;
        return distance >= 1 && distance <= count;
    }

    /** The packed event suppression word: off_wrap in the low half, flags in the high half. */
    static int packedEvent(int flags, int off, boolean wrap) {
        return flags << 16 | off | (wrap ? 0x8000 : 0);
    }
}
