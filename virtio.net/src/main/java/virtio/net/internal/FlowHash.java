package virtio.net.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Picks a TX queue for a frame so one flow always takes the same queue (and stays in order): a
 * hash over the IPv4/IPv6 addresses and protocol plus TCP/UDP ports when present, else over the
 * MAC addresses (the kernel's skb_get_hash feeding netdev_pick_tx). Source and destination are
 * combined symmetrically, so both directions of a connection hash alike. Reads only inside the
 * frame, allocates nothing.
 */
final class FlowHash {
    private FlowHash() {}

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;

    /** The queue of {@code pairs} for this frame. */
    static int queue(MemorySegment frame, int pairs) {
        if (pairs <= 1) {
            return 0;
        }
        return (int) Long.remainderUnsigned(hash(frame), pairs);
    }

    static long hash(MemorySegment f) {
        long n = f.byteSize();
        if (n < 14) {
            return 0;
        }
        int l3 = 14;
        int type = u16(f, 12);
        if (type == ETH_P_8021Q && n >= 18) {
            type = u16(f, 16);
            l3 = 18;
        }
        if (type == ETH_P_IP && n >= l3 + 20) {
            int ihl = (f.get(ValueLayout.JAVA_BYTE, l3) & 0xf) * 4;
            int proto = f.get(ValueLayout.JAVA_BYTE, l3 + 9) & 0xff;
            long addrs = sym(f.get(BE32, l3 + 12) & 0xffffffffL, f.get(BE32, l3 + 16) & 0xffffffffL);
            // fragments after the first carry no ports: hash them on addresses only, like the first
            boolean fragment = (u16(f, l3 + 6) & 0x3fff) != 0;
            long ports = fragment ? 0 : ports(f, proto, l3 + ihl);
            return mix(addrs ^ mix(proto) ^ mix(ports + 1));
        }
        if (type == ETH_P_IPV6 && n >= l3 + 40) {
            int next = f.get(ValueLayout.JAVA_BYTE, l3 + 6) & 0xff;
            long src = mix(f.get(BE64, l3 + 8)) ^ mix(f.get(BE64, l3 + 16) + 1);
            long dst = mix(f.get(BE64, l3 + 24)) ^ mix(f.get(BE64, l3 + 32) + 1);
            return mix(sym(src, dst) ^ mix(next) ^ mix(ports(f, next, l3 + 40) + 1));
        }
        long dst = f.get(BE32, 0) & 0xffffffffL | (long) u16(f, 4) << 32;
        long src = f.get(BE32, 6) & 0xffffffffL | (long) u16(f, 10) << 32;
        return mix(sym(dst, src) ^ mix(type));
    }

    private static long ports(MemorySegment f, int proto, long l4) {
        if ((proto != IPPROTO_TCP && proto != IPPROTO_UDP) || f.byteSize() < l4 + 4) {
            return 0;
        }
        return sym(u16(f, l4), u16(f, l4 + 2));
    }

    /** Order-independent combination of two values. */
    private static long sym(long a, long b) {
        return mix(Math.min(a, b)) * 31 + mix(Math.max(a, b));
    }

    private static int u16(MemorySegment f, long off) {
        return f.get(BE16, off) & 0xffff;
    }

    /** MurmurHash3's 64-bit finalizer. */
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
