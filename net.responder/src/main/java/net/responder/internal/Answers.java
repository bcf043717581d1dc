package net.responder.internal;

import static net.responder.internal.Wire.*;
import static virtio.net.api.Ethernet.ETH_HLEN;
import static virtio.net.api.Ethernet.ETH_ZLEN;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import virtio.net.api.MacAddress;

/**
 * The responder's one decision: given a received frame and the interface's MAC and IPv4
 * addresses, is it an ARP request (RFC 826) or an ICMP echo request (RFC 792) for one of them,
 * and if so, the reply. Every field a sender controls is checked before it is believed, in the
 * order a host would (RFC 1122 section 3.2.1): lengths, version, header checksum, addresses,
 * fragments, then the ICMP checksum. Pure and allocation-free: the reply is written into a
 * {@link Reply} the caller owns.
 */
final class Answers {
    private Answers() {}

    /**
     * Decides what to do with {@code in} and, when the outcome {@link Outcome#replies}, builds
     * the reply in {@code out}.
     *
     * @param mac the interface's MAC address
     * @param addresses the interface's IPv4 addresses
     */
    static Outcome answer(MemorySegment in, long mac, int[] addresses, Reply out) {
        long len = in.byteSize();
        if (len < ETH_HLEN) {
            return Outcome.DROP_TRUNCATED;
        }
        return switch (u16(in, ETH_TYPE)) {
            case ETH_P_ARP -> arp(in, len, mac, addresses, out);
            case ETH_P_IP -> ipv4(in, len, mac, addresses, out);
            default -> Outcome.IGNORED;
        };
    }

    private static Outcome arp(MemorySegment in, long len, long mac, int[] addresses, Reply out) {
        if (len < ARP_END) {
            return Outcome.DROP_TRUNCATED;
        }
        int op = u16(in, ARP_OPER);
        if (u16(in, ARP_HTYPE) != ARPHRD_ETHER || u16(in, ARP_PTYPE) != ETH_P_IP || u8(in, ARP_HLEN) != 6
                || u8(in, ARP_PLEN) != 4 || (op != ARPOP_REQUEST && op != ARPOP_REPLY)) {
            return Outcome.DROP_BAD_ARP;
        }
        int tpa = in.get(BE32, ARP_TPA);
        int spa = in.get(BE32, ARP_SPA);
        long dst = MacAddress.read(in, ETH_DST);
        // replies feed a cache this responder does not keep; an announcement (spa = tpa) asks nothing
        if (op != ARPOP_REQUEST || !holds(addresses, tpa) || spa == tpa || (dst != mac && dst != 0xffff_ffff_ffffL)) {
            return Outcome.IGNORED;
        }
        long sha = MacAddress.read(in, ARP_SHA);
        // spa 0.0.0.0 is a probe (RFC 5227) and is answered; a martian sender is not
        if (MacAddress.isMulticast(sha) || MacAddress.isMulticast(MacAddress.read(in, ETH_SRC))
                || (spa != 0 && martian(spa, addresses))) {
            return Outcome.DROP_BAD_SOURCE;
        }
        MemorySegment f = out.buffer;
        putMac(f, ETH_DST, sha);
        putMac(f, ETH_SRC, mac);
        f.set(BE16, ETH_TYPE, (short) ETH_P_ARP);
        f.set(BE16, ARP_HTYPE, (short) ARPHRD_ETHER);
        f.set(BE16, ARP_PTYPE, (short) ETH_P_IP);
        f.set(ValueLayout.JAVA_BYTE, ARP_HLEN, (byte) 6);
        f.set(ValueLayout.JAVA_BYTE, ARP_PLEN, (byte) 4);
        f.set(BE16, ARP_OPER, (short) ARPOP_REPLY);
        putMac(f, ARP_SHA, mac);
        f.set(BE32, ARP_SPA, tpa);
        putMac(f, ARP_THA, sha);
        f.set(BE32, ARP_TPA, spa);
        zero(f, ARP_END, ETH_ZLEN);
        out.length = ETH_ZLEN;
        return Outcome.ARP_REPLY;
    }

    private static Outcome ipv4(MemorySegment in, long len, long mac, int[] addresses, Reply out) {
        if (len < ETH_HLEN + IP_HLEN) {
            return Outcome.DROP_TRUNCATED;
        }
        int vihl = u8(in, IP_VIHL);
        int ihl = (vihl & 0xf) * 4;
        int total = u16(in, IP_TOTAL_LENGTH);
        if (vihl >>> 4 != 4 || ihl < IP_HLEN || total < ihl) {
            return Outcome.DROP_BAD_IP_HEADER;
        }
        if (ETH_HLEN + (long) total > len) {
            return Outcome.DROP_TRUNCATED;
        }
        if (onesSum(in, IP_VIHL, ihl) != 0xffff) {
            return Outcome.DROP_BAD_IP_CHECKSUM;
        }
        int dst = in.get(BE32, IP_DST);
        if (!holds(addresses, dst) || MacAddress.read(in, ETH_DST) != mac || u8(in, IP_PROTOCOL) != IPPROTO_ICMP) {
            return Outcome.IGNORED;
        }
        int src = in.get(BE32, IP_SRC);
        if (MacAddress.isMulticast(MacAddress.read(in, ETH_SRC)) || martian(src, addresses)) {
            return Outcome.DROP_BAD_SOURCE;
        }
        if ((u16(in, IP_FRAG) & (IP_MF | IP_OFFSET)) != 0) {
            return Outcome.DROP_FRAGMENT;
        }
        int icmp = ETH_HLEN + ihl;
        int icmpLen = total - ihl;
        if (icmpLen < ICMP_ECHO_HLEN) {
            return Outcome.DROP_TRUNCATED;
        }
        if (onesSum(in, icmp, icmpLen) != 0xffff) {
            return Outcome.DROP_BAD_ICMP_CHECKSUM;
        }
        if (u8(in, icmp + ICMP_TYPE) != ICMP_ECHO || u8(in, icmp + ICMP_CODE) != 0) {
            return Outcome.IGNORED;
        }
        int replyLen = ETH_HLEN + IP_HLEN + icmpLen;
        MemorySegment f = out.buffer;
        if (Math.max(replyLen, ETH_ZLEN) > f.byteSize()) {
            return Outcome.DROP_TOO_LONG;
        }
        putMac(f, ETH_DST, MacAddress.read(in, ETH_SRC));
        putMac(f, ETH_SRC, mac);
        f.set(BE16, ETH_TYPE, (short) ETH_P_IP);
        // a fresh header without the request's options; id 0 with DF set (RFC 6864: atomic datagram)
        f.set(ValueLayout.JAVA_BYTE, IP_VIHL, (byte) 0x45);
        f.set(ValueLayout.JAVA_BYTE, IP_TOS, in.get(ValueLayout.JAVA_BYTE, IP_TOS));
        f.set(BE16, IP_TOTAL_LENGTH, (short) (IP_HLEN + icmpLen));
        f.set(BE16, IP_ID, (short) 0);
        f.set(BE16, IP_FRAG, (short) IP_DF);
        f.set(ValueLayout.JAVA_BYTE, IP_TTL, (byte) IP_DEFAULT_TTL);
        f.set(ValueLayout.JAVA_BYTE, IP_PROTOCOL, (byte) IPPROTO_ICMP);
        f.set(BE16, IP_CHECKSUM, (short) 0);
        f.set(BE32, IP_SRC, dst);
        f.set(BE32, IP_DST, src);
        f.set(BE16, IP_CHECKSUM, checksum(f, IP_VIHL, IP_HLEN));
        // the echo's identifier, sequence number and data come back as they were
        int at = ETH_HLEN + IP_HLEN;
        MemorySegment.copy(in, icmp, f, at, icmpLen);
        f.set(ValueLayout.JAVA_BYTE, at + ICMP_TYPE, (byte) ICMP_ECHOREPLY);
        f.set(BE16, at + ICMP_CHECKSUM, (short) 0);
        f.set(BE16, at + ICMP_CHECKSUM, checksum(f, at, icmpLen));
        if (replyLen < ETH_ZLEN) {
            zero(f, replyLen, ETH_ZLEN);
            replyLen = ETH_ZLEN;
        }
        out.length = replyLen;
        return Outcome.ECHO_REPLY;
    }

    /** Whether {@code a} is one of {@code addresses}. */
    static boolean holds(int[] addresses, int a) {
        for (int x : addresses) {
            if (x == a) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IPv4 source no reply may go to (RFC 1122 section 3.2.1.3): 0.0.0.0, 255.255.255.255,
     * 127/8, 224/4 and 240/4, or one of the interface's own addresses.
     */
    static boolean martian(int a, int[] addresses) {
        return a == 0 || a == -1 || a >>> 24 == 127 || a >>> 28 >= 0xe || holds(addresses, a);
    }
}
