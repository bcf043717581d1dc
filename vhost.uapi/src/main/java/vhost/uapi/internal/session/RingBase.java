package vhost.uapi.internal.session;

import vdpa.bus.VqState;
import vhost.uapi.internal.proto.ProtocolError;
import vhost.uapi.internal.proto.ProtocolException;

/**
 * The ring base word of SET_VRING_BASE and GET_VRING_BASE, one rule for both directions. Split:
 * the next available index the device reads (16 bits). Packed: bits 0-14 the device's next
 * available offset, bit 15 its wrap counter, bits 16-30 the next used offset, bit 31 its wrap
 * counter (as QEMU sends it). A packed word whose upper half is 0 (front-ends that send only the
 * avail half) resumes used where avail is.
 */
final class RingBase {
    private RingBase() {}

    /** The device state a base word asks for. */
    static VqState toState(long word, boolean packed, int ring) throws ProtocolException {
        if (!packed) {
            if (word > 0xffff) {
                throw new ProtocolException(ProtocolError.BAD_QUEUE_BASE, "ring " + ring + ": split base " + word + " is not 16 bits");
            }
            return new VqState.Split((int) word);
        }
        int avail = (int) (word & 0x7fff);
        boolean availWrap = (word & 0x8000) != 0;
        long high = word >>> 16;
        if (high == 0) {
            return new VqState.Packed(avail, availWrap, avail, availWrap);
        }
        return new VqState.Packed(avail, availWrap, (int) (high & 0x7fff), (high & 0x8000) != 0);
    }

    /** The base word of a device state. */
    static long of(VqState s) {
        return switch (s) {
            case VqState.Split sp -> sp.availIndex();
            case VqState.Packed p -> p.lastAvailIdx() | (p.lastAvailCounter() ? 0x8000L : 0)
                    | (long) p.lastUsedIdx() << 16 | (p.lastUsedCounter() ? 0x8000_0000L : 0);
        };
    }

    /** Whether a base word is a ring's start (available index 0; packed: both offsets 0, both wrap counters set). */
    static boolean isInitial(long word, boolean packed) {
        try {
            return toState(word, packed, 0).isInitial();
        } catch (ProtocolException notEvenABase) {
            return false;
        }
    }
}
