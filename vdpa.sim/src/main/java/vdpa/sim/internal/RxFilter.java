package vdpa.sim.internal;

import java.lang.foreign.MemorySegment;
import virtio.net.api.MacAddress;

/**
 * Receive filtering as the control queue sets it (virtio 1.2 section 5.1.6.5.1 and .2):
 * promiscuous and all-multicast modes, the unicast and multicast MAC tables, the device's own
 * address and broadcast. Used by the device worker only (under the device lock).
 *
 * <p>After reset the device is promiscuous, as QEMU's virtio-net is: a driver without
 * VIRTIO_NET_F_CTRL_RX cannot ask for anything, so it gets every frame; a driver that negotiates
 * it narrows the filter with VIRTIO_NET_CTRL_RX_PROMISC off. A table with more than
 * {@link #TABLE_MAX} entries turns into "accept all of that kind" (overflow), so a large table
 * never loses frames the driver asked for.
 */
final class RxFilter {

    static final int TABLE_MAX = 64;
    private static final long BROADCAST = MacAddress.BROADCAST.value();

    boolean promisc;
    boolean allmulti;
    long mac;
    private final long[] unicast = new long[TABLE_MAX];
    private final long[] multicast = new long[TABLE_MAX];
    private int unicastCount;
    private int multicastCount;
    private boolean unicastOverflow;
    private boolean multicastOverflow;

    /** The state after reset, with the device's own address. */
    void reset(long ownMac) {
        promisc = true;
        allmulti = false;
        mac = ownMac;
        unicastCount = 0;
        multicastCount = 0;
        unicastOverflow = false;
        multicastOverflow = false;
    }

    /** Replaces both tables (VIRTIO_NET_CTRL_MAC_TABLE_SET); counts above {@link #TABLE_MAX} overflow. */
    void setTables(long[] uc, int ucCount, long[] mc, int mcCount) {
        unicastOverflow = ucCount > TABLE_MAX;
        multicastOverflow = mcCount > TABLE_MAX;
        unicastCount = Math.min(ucCount, TABLE_MAX);
        multicastCount = Math.min(mcCount, TABLE_MAX);
        System.arraycopy(uc, 0, unicast, 0, unicastCount);
        System.arraycopy(mc, 0, multicast, 0, multicastCount);
    }

    /** Why the frame is dropped, or null to accept it. */
    Stat check(MemorySegment frame) {
        if (promisc) {
            return null;
        }
        long dst = MacAddress.read(frame, 0); // the destination: the Ethernet header's first field
        if (dst == BROADCAST) {
            return null;
        }
        if (MacAddress.isMulticast(dst)) {
            return allmulti || multicastOverflow || contains(multicast, multicastCount, dst) ? null
                    : Stat.RX_DROP_FILTER_MULTICAST;
        }
        return dst == mac || unicastOverflow || contains(unicast, unicastCount, dst) ? null : Stat.RX_DROP_FILTER_UNICAST;
    }

    private static boolean contains(long[] table, int count, long v) {
        for (int i = 0; i < count; i++) {
            if (table[i] == v) {
                return true;
            }
        }
        return false;
    }
}
