package itest;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import virtio.net.api.Ethernet;
import virtio.net.api.MacAddress;

/**
 * Test frames: Ethernet header, a local experimental EtherType, a sequence number, then bytes that
 * follow from the sequence number, so a receiver can check every byte and the order.
 */
final class Frames {
    private Frames() {}

    /** IEEE 802 local experimental EtherType 1. */
    static final int ETHERTYPE = 0x88b5;
    static final int SEQ_OFFSET = Ethernet.ETH_HLEN;
    static final int PAYLOAD_OFFSET = SEQ_OFFSET + Long.BYTES;
    static final int MIN = Ethernet.ETH_ZLEN;
    private static final ValueLayout.OfLong SEQ = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort TYPE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Mixed sizes from 60 bytes to {@code max}, spread over the range by the sequence number. */
    static int length(long seq, int max) {
        return MIN + (int) ((seq * 7919) % (max - MIN + 1));
    }

    private static byte pattern(long seq, int i) {
        return (byte) (seq * 31 + i);
    }

    /** Writes frame {@code seq} of {@code length} bytes at the start of {@code buf}. */
    static MemorySegment write(MemorySegment buf, MacAddress dst, MacAddress src, long seq, int length) {
        MemorySegment.copy(dst.octets(), 0, buf, ValueLayout.JAVA_BYTE, 0, 6);
        MemorySegment.copy(src.octets(), 0, buf, ValueLayout.JAVA_BYTE, 6, 6);
        buf.set(TYPE, 12, (short) ETHERTYPE);
        buf.set(SEQ, SEQ_OFFSET, seq);
        for (int i = PAYLOAD_OFFSET; i < length; i++) {
            buf.set(ValueLayout.JAVA_BYTE, i, pattern(seq, i));
        }
        return buf.asSlice(0, length);
    }

    /** The sequence number of a test frame, or -1 if it is not one. */
    static long seq(MemorySegment frame) {
        if (frame.byteSize() < MIN || (frame.get(TYPE, 12) & 0xffff) != ETHERTYPE) {
            return -1;
        }
        return frame.get(SEQ, SEQ_OFFSET);
    }

    /** What is wrong with a received test frame of sequence {@code seq}, or null. */
    static String problem(MemorySegment frame, long seq, int max) {
        int expected = length(seq, max);
        if (frame.byteSize() != expected) {
            return "frame " + seq + " has " + frame.byteSize() + " bytes, sent " + expected;
        }
        for (int i = PAYLOAD_OFFSET; i < expected; i++) {
            if (frame.get(ValueLayout.JAVA_BYTE, i) != pattern(seq, i)) {
                return "frame " + seq + " differs at byte " + i;
            }
        }
        return null;
    }
}
