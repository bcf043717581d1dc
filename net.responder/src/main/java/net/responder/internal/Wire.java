package net.responder.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import virtio.net.api.Ethernet;

/**
 * The Ethernet, ARP (RFC 826), IPv4 (RFC 791) and ICMP (RFC 792) fields the responder reads and
 * writes, as byte offsets into an untagged Ethernet frame; every field is big-endian.
 */
final class Wire {
    private Wire() {}

    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    // ---- Ethernet II: dst[6] src[6] type[2]; its sizes are virtio.net.api's Ethernet
    static final int ETH_DST = 0;
    static final int ETH_SRC = 6;
    static final int ETH_TYPE = 12;
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_ARP = 0x0806;

    // ---- ARP for IPv4 over Ethernet, after the Ethernet header
    static final int ARP_HTYPE = 14;
    static final int ARP_PTYPE = 16;
    static final int ARP_HLEN = 18;
    static final int ARP_PLEN = 19;
    static final int ARP_OPER = 20;
    static final int ARP_SHA = 22;
    static final int ARP_SPA = 28;
    static final int ARP_THA = 32;
    static final int ARP_TPA = 38;
    /** Where the 28-byte ARP packet ends. */
    static final int ARP_END = 42;
    static final int ARPHRD_ETHER = 1;
    static final int ARPOP_REQUEST = 1;
    static final int ARPOP_REPLY = 2;

    // ---- IPv4 header, after the Ethernet header
    static final int IP_VIHL = 14;
    static final int IP_TOS = 15;
    static final int IP_TOTAL_LENGTH = 16;
    static final int IP_ID = 18;
    static final int IP_FRAG = 20;
    static final int IP_TTL = 22;
    static final int IP_PROTOCOL = 23;
    static final int IP_CHECKSUM = 24;
    static final int IP_SRC = 26;
    static final int IP_DST = 30;
    /** A header without options. */
    static final int IP_HLEN = 20;
    static final int IPPROTO_ICMP = 1;
    /** The flags and fragment offset field: don't fragment, more fragments, the offset. */
    static final int IP_DF = 0x4000;
    static final int IP_MF = 0x2000;
    static final int IP_OFFSET = 0x1fff;
    /** The TTL of what the responder sends (RFC 1700's default, as Linux). */
    static final int IP_DEFAULT_TTL = 64;

    // ---- ICMP, from the start of the ICMP message: type[1] code[1] checksum[2] rest
    static final int ICMP_TYPE = 0;
    static final int ICMP_CODE = 1;
    static final int ICMP_CHECKSUM = 2;
    /** Type, code, checksum, identifier and sequence number. */
    static final int ICMP_ECHO_HLEN = 8;
    static final int ICMP_ECHOREPLY = 0;
    static final int ICMP_ECHO = 8;

    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[Ethernet.ETH_ZLEN]);

    /** Zeroes bytes {@code from} to {@code to} (at most ETH_ZLEN of them): the padding of a short frame. */
    static void zero(MemorySegment f, int from, int to) {
        MemorySegment.copy(ZEROS, 0, f, from, to - from);
    }

    /** Writes a MAC address value ({@link virtio.net.api.MacAddress#value()}) at {@code at}, first octet first. */
    static void putMac(MemorySegment f, long at, long mac) {
        f.set(BE16, at, (short) (mac >>> 32));
        f.set(BE32, at + 2, (int) mac);
    }

    static int u8(MemorySegment f, long at) {
        return f.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }

    static int u16(MemorySegment f, long at) {
        return f.get(BE16, at) & 0xffff;
    }

    /**
     * The ones' complement sum of {@code length} bytes from {@code at}, folded to 16 bits
     * (RFC 1071); a range holding its own correct checksum sums to 0xffff.
     */
    static int onesSum(MemorySegment f, long at, int length) {
        long acc = 0;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            acc += f.get(BE32, at + i) & 0xffff_ffffL;
        }
        for (; i + 2 <= length; i += 2) {
            acc += f.get(BE16, at + i) & 0xffff;
        }
        if (i < length) {
            // an odd last byte is the high half of a word padded with zero
            acc += (long) u8(f, at + i) << 8;
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    /** The Internet checksum to store for a range whose checksum field is zero. */
    static short checksum(MemorySegment f, long at, int length) {
        return (short) ~onesSum(f, at, length);
    }
}
