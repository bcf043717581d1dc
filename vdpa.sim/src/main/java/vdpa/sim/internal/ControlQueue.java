package vdpa.sim.internal;

import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_RX;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_CLASS;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_COMMAND;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_HDR_SIZE;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MAC;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MAC_ADDR_SET;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MAC_ENTRIES_SIZE;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MAC_TABLE_SET;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MQ;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_RX;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_RX_ALLMULTI;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_RX_PROMISC;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_ERR;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_OK;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import virtio.net.api.MacAddress;
import virtio.ring.DescriptorChain;
import virtio.ring.DeviceQueue;

/**
 * The control virtqueue (virtio 1.2 section 5.1.6.5): {@code u8 class, u8 command, data} readable,
 * {@code u8 ack} writable. Handles RX mode (PROMISC, ALLMULTI), MAC TABLE_SET and ADDR_SET, and
 * MQ VQ_PAIRS_SET; anything else, a command whose feature was not negotiated, or data of the wrong
 * length is answered VIRTIO_NET_ERR and changes nothing. Runs on the worker under the device lock.
 */
final class ControlQueue {

    /** The largest command read; a bigger one is refused (a MAC table of over 2700 entries). */
    static final int MAX_COMMAND = 16384;
    /** Where the command-specific data starts, after {@code class} and {@code command}. */
    private static final int DATA = VIRTIO_NET_CTRL_HDR_SIZE;
    /** {@code le32 entries} before each MAC table's addresses. */
    private static final int ENTRIES = VIRTIO_NET_CTRL_MAC_ENTRIES_SIZE;
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final SimNetDevice dev;
    private final NetDatapath datapath;
    private final MemorySegment cmd = MemorySegment.ofArray(new byte[MAX_COMMAND]);
    private final MemorySegment ack = MemorySegment.ofArray(new byte[1]);
    private final long[] unicast = new long[RxFilter.TABLE_MAX];
    private final long[] multicast = new long[RxFilter.TABLE_MAX];

    ControlQueue(SimNetDevice dev, NetDatapath datapath) {
        this.dev = dev;
        this.datapath = datapath;
    }

    boolean process(SimVirtqueue vq) {
        DeviceQueue q = datapath.ring(vq);
        if (q == null) {
            return false;
        }
        int n = 0;
        DescriptorChain c;
        while (n < NetDatapath.BUDGET && (c = vq.chain(0)) != null) {
            n++;
            int status = execute(c);
            int written = 0;
            if (c.writableBytes() >= 1) {
                ack.set(ValueLayout.JAVA_BYTE, 0, (byte) status);
                c.copyToWritable(0, ack, 0, 1);
                written = 1;
                vq.stats.inc(status == VIRTIO_NET_OK ? Stat.CTRL_OK : Stat.CTRL_ERR);
            } else {
                vq.stats.inc(Stat.CTRL_NO_ACK);
            }
            q.pushUsed(c.id(), written);
            vq.consume(1);
        }
        datapath.finish(vq, q, n);
        return n > 0;
    }

    private int execute(DescriptorChain c) {
        long n = c.readableBytes();
        if (n < DATA || n > MAX_COMMAND) {
            return VIRTIO_NET_ERR;
        }
        c.copyFromReadable(0, cmd, 0, n);
        int cls = cmd.get(ValueLayout.JAVA_BYTE, VIRTIO_NET_CTRL_CLASS) & 0xff;
        int command = cmd.get(ValueLayout.JAVA_BYTE, VIRTIO_NET_CTRL_COMMAND) & 0xff;
        int len = (int) n - DATA;
        boolean ok = switch (cls) {
            case VIRTIO_NET_CTRL_RX -> dev.negotiated(VIRTIO_NET_F_CTRL_RX) && rxMode(command, len);
            case VIRTIO_NET_CTRL_MAC -> mac(command, len);
            case VIRTIO_NET_CTRL_MQ -> dev.negotiated(VIRTIO_NET_F_MQ) && command == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET
                    && len == 2 && dev.setActivePairs(cmd.get(LE16, DATA) & 0xffff);
            default -> false;
        };
        return ok ? VIRTIO_NET_OK : VIRTIO_NET_ERR;
    }

    /** PROMISC and ALLMULTI take one byte, 0 off or 1 on; the others need CTRL_RX_EXTRA, not offered. */
    private boolean rxMode(int command, int len) {
        if (len != 1) {
            return false;
        }
        int v = cmd.get(ValueLayout.JAVA_BYTE, DATA) & 0xff;
        if (v > 1) {
            return false;
        }
        switch (command) {
            case VIRTIO_NET_CTRL_RX_PROMISC -> dev.filter.promisc = v == 1;
            case VIRTIO_NET_CTRL_RX_ALLMULTI -> dev.filter.allmulti = v == 1;
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean mac(int command, int len) {
        if (command == VIRTIO_NET_CTRL_MAC_ADDR_SET) {
            return dev.negotiated(VIRTIO_NET_F_CTRL_MAC_ADDR) && len == 6
                    && dev.setMacFromDriver(MacAddress.read(cmd, DATA));
        }
        if (command != VIRTIO_NET_CTRL_MAC_TABLE_SET || !dev.negotiated(VIRTIO_NET_F_CTRL_RX)) {
            return false;
        }
        // two struct virtio_net_ctrl_mac {le32 entries; u8 macs[entries][6];}: unicast, then multicast
        long end = (long) DATA + len;
        long uc = table(DATA, end, unicast);
        if (uc < 0) {
            return false;
        }
        long ucEntries = cmd.get(LE32, DATA) & 0xffff_ffffL;
        long mcAt = DATA + ENTRIES + 6 * ucEntries;
        long mc = table(mcAt, end, multicast);
        if (mc < 0 || mcAt + ENTRIES + 6 * mc != end) {
            return false;
        }
        dev.filter.setTables(unicast, (int) ucEntries, multicast, (int) mc);
        return true;
    }

    /** Reads one table at {@code at} into {@code into} (up to its size); returns its entry count, or -1 if it overruns. */
    private long table(long at, long end, long[] into) {
        if (at + ENTRIES > end) {
            return -1;
        }
        long entries = cmd.get(LE32, at) & 0xffff_ffffL;
        if (at + ENTRIES + 6 * entries > end) {
            return -1;
        }
        for (int i = 0; i < Math.min(entries, into.length); i++) {
            into[i] = MacAddress.read(cmd, at + ENTRIES + 6L * i);
        }
        return entries;
    }
}
