package virtio.net.internal;

import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_RX;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MRG_RXBUF;
import static virtio.spec.VirtioNet.controlQueue;
import static virtio.spec.VirtioNet.receiveQueue;
import static virtio.spec.VirtioNet.transmitQueue;
import static virtio.spec.VirtioNetHdr.VIRTIO_NET_HDR_SIZE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import virtio.net.api.MacAddress;
import virtio.ring.DescriptorChain;
import virtio.ring.DeviceQueue;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNetCtrl;
import virtio.spec.VirtioNetHdr;

/**
 * The data path of {@link LoopbackNetDevice}, on its own worker: every frame taken from transmitq
 * N comes back on receiveq N (header checked, then a fresh header with {@code num_buffers}),
 * spreading over several buffers with VIRTIO_NET_F_MRG_RXBUF; control commands get real acks. It is
 * lossless: a frame waiting for RX buffers stops that pair's TX until the driver posts more.
 * Notifications follow the ring core: it sleeps with notifications enabled and wakes on kicks.
 */
final class LoopbackDatapath {

    /** A control command as the device saw it, and its answer. */
    record Command(int cls, int cmd, byte[] data, int ack) {}

    private final LoopbackNetDevice dev;
    private final int maxPairs;
    private final Thread worker;
    private volatile boolean running = true;

    // device state, guarded by dev.lock
    private long features;
    private boolean mergeable;
    private int activePairs = 1;
    private final byte[][] pending;
    private final List<List<DescriptorChain>> reserved = new ArrayList<>();
    private final List<List<DescriptorChain>> spare = new ArrayList<>();

    // test controls and observations
    volatile boolean txPaused;
    volatile boolean refuseCommands;
    volatile boolean ignoreCommands;
    volatile boolean promisc;
    volatile boolean allmulti;
    volatile List<MacAddress> multicast = List.of();
    final List<Command> commands = new CopyOnWriteArrayList<>();
    final AtomicLong txConsumed = new AtomicLong();
    final AtomicLong rxDelivered = new AtomicLong();
    final AtomicLong lostAtReset = new AtomicLong();
    final AtomicLong badHeaders = new AtomicLong();
    final AtomicLong txOnInactivePair = new AtomicLong();
    /** Most RX buffers one frame used so far. */
    volatile int maxBuffersPerFrame;

    LoopbackDatapath(LoopbackNetDevice dev, int maxPairs) {
        this.dev = dev;
        this.maxPairs = maxPairs;
        this.pending = new byte[maxPairs][];
        for (int i = 0; i < maxPairs; i++) {
            reserved.add(new ArrayList<>());
            spare.add(new ArrayList<>());
        }
        this.worker = Thread.ofPlatform().daemon().name("loopback-net device").start(this::run);
    }

    /** DRIVER_OK: the negotiated features take effect (called under dev.lock). */
    void driverOk(long negotiated) {
        features = negotiated;
        mergeable = VirtioFeatures.has(negotiated, VIRTIO_NET_F_MRG_RXBUF);
        activePairs = 1; // until VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET (5.1.6.5.5)
        wake();
    }

    /** Device reset (called under dev.lock, so no pass is running). */
    void reset() {
        for (int i = 0; i < maxPairs; i++) {
            if (pending[i] != null) {
                lostAtReset.incrementAndGet();
                pending[i] = null;
            }
            reserved.get(i).clear();
            spare.get(i).clear();
        }
        features = 0;
        activePairs = 1;
        promisc = false;
        allmulti = false;
    }

    int activePairs() {
        synchronized (dev.lock) {
            return activePairs;
        }
    }

    void wake() {
        LockSupport.unpark(worker);
    }

    private void run() {
        while (running) {
            boolean more;
            synchronized (dev.lock) {
                more = pass();
            }
            if (!more) {
                LockSupport.park(this);
            }
        }
    }

    /** One pass over every queue; true if work is already waiting again. */
    private boolean pass() {
        if (dev.queues.isEmpty() || features == 0) {
            return false;
        }
        boolean more = false;
        for (int i = 0; i < maxPairs; i++) {
            DeviceQueue tx = dev.queues.get(transmitQueue(i));
            DeviceQueue rx = dev.queues.get(receiveQueue(i));
            if (tx != null && rx != null) {
                more |= pair(i, tx, rx);
            }
        }
        DeviceQueue ctrl = dev.queues.get(controlQueue(features, maxPairs));
        if (ctrl != null && !ignoreCommands) {
            control(ctrl);
            more |= ctrl.enableNotifications();
        }
        return more;
    }

    private boolean pair(int i, DeviceQueue tx, DeviceQueue rx) {
        boolean blocked = false;
        while (true) {
            if (pending[i] != null) {
                if (!deliver(i, rx, pending[i])) {
                    blocked = true;
                    break;
                }
                pending[i] = null;
            }
            if (txPaused) {
                break;
            }
            DescriptorChain c = tx.pop();
            if (c == null) {
                break;
            }
            int total = (int) c.readableBytes();
            byte[] pkt = new byte[total];
            c.copyFromReadable(0, MemorySegment.ofArray(pkt), 0, total);
            tx.pushUsed(c.id(), 0);
            txConsumed.incrementAndGet();
            if (i >= activePairs) {
                txOnInactivePair.incrementAndGet();
            }
            if (total < VIRTIO_NET_HDR_SIZE || !allZero(pkt, VIRTIO_NET_HDR_SIZE)) {
                badHeaders.incrementAndGet(); // the driver promised no offloads: an all-zero header
            }
            pending[i] = Arrays.copyOfRange(pkt, Math.min(VIRTIO_NET_HDR_SIZE, total), total);
        }
        tx.publishUsed();
        if (tx.needsNotify()) {
            dev.interrupt(transmitQueue(i));
        }
        rx.publishUsed();
        if (rx.needsNotify()) {
            dev.interrupt(receiveQueue(i));
        }
        // sleep with notifications on where we wait: RX buffers when blocked, else new TX
        if (blocked) {
            return rx.enableNotifications();
        }
        return !txPaused && tx.enableNotifications();
    }

    /** Writes a frame into RX buffers; false if there are not enough yet (the frame stays pending). */
    private boolean deliver(int i, DeviceQueue rx, byte[] frame) {
        int need = VIRTIO_NET_HDR_SIZE + frame.length;
        List<DescriptorChain> res = reserved.get(i);
        long room = res.stream().mapToLong(DescriptorChain::writableBytes).sum();
        while (room < need) {
            if (!mergeable && !res.isEmpty()) {
                break;
            }
            DescriptorChain c = chain(i, rx);
            if (!rx.pop(c)) {
                spare.get(i).add(c);
                return false;
            }
            res.add(c);
            room += c.writableBytes();
        }
        if (room < need) {
            // one buffer without MRG_RXBUF, and it is too small: the frame is truncated (a driver bug to catch)
            need = (int) room;
        }
        byte[] pkt = new byte[need];
        ByteBuffer.wrap(pkt).order(ByteOrder.LITTLE_ENDIAN).putShort(VirtioNetHdr.VIRTIO_NET_HDR_NUM_BUFFERS, (short) res.size());
        System.arraycopy(frame, 0, pkt, VIRTIO_NET_HDR_SIZE, need - VIRTIO_NET_HDR_SIZE);
        MemorySegment src = MemorySegment.ofArray(pkt);
        long written = 0;
        for (DescriptorChain c : res) {
            long n = Math.min(c.writableBytes(), need - written);
            c.copyToWritable(0, src, written, n);
            rx.pushUsed(c.id(), (int) n);
            written += n;
        }
        maxBuffersPerFrame = Math.max(maxBuffersPerFrame, res.size());
        spare.get(i).addAll(res);
        res.clear();
        rxDelivered.incrementAndGet();
        return true;
    }

    private DescriptorChain chain(int i, DeviceQueue rx) {
        List<DescriptorChain> s = spare.get(i);
        return s.isEmpty() ? rx.newChain() : s.removeLast();
    }

    private void control(DeviceQueue cq) {
        DescriptorChain c;
        boolean used = false;
        while ((c = cq.pop()) != null) {
            byte[] in = new byte[(int) c.readableBytes()];
            c.copyFromReadable(0, MemorySegment.ofArray(in), 0, in.length);
            int ack = in.length < 2 || refuseCommands ? VirtioNetCtrl.VIRTIO_NET_ERR
                    : command(in[0] & 0xff, in[1] & 0xff, Arrays.copyOfRange(in, 2, in.length));
            commands.add(new Command(in.length > 0 ? in[0] : -1, in.length > 1 ? in[1] : -1,
                    Arrays.copyOfRange(in, Math.min(2, in.length), in.length), ack));
            c.copyToWritable(0, MemorySegment.ofArray(new byte[] {(byte) ack}), 0, 1);
            cq.pushUsed(c.id(), 1);
            used = true;
        }
        if (used) {
            cq.publishUsed();
            if (cq.needsNotify()) {
                dev.interrupt(controlQueue(features, maxPairs));
            }
        }
    }

    /** Executes a command (spec 5.1.6.5), returning VIRTIO_NET_OK or VIRTIO_NET_ERR. */
    private int command(int cls, int cmd, byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        boolean ok = switch (cls) {
            case VirtioNetCtrl.VIRTIO_NET_CTRL_RX -> has(VIRTIO_NET_F_CTRL_RX) && data.length == 1
                    && data[0] <= 1 && rxMode(cmd, data[0] == 1);
            case VirtioNetCtrl.VIRTIO_NET_CTRL_MAC -> mac(cmd, b);
            case VirtioNetCtrl.VIRTIO_NET_CTRL_MQ -> has(VIRTIO_NET_F_MQ)
                    && cmd == VirtioNetCtrl.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET && data.length == 2
                    && pairs(b.getShort() & 0xffff);
            default -> false;
        };
        return ok ? VirtioNetCtrl.VIRTIO_NET_OK : VirtioNetCtrl.VIRTIO_NET_ERR;
    }

    private boolean rxMode(int cmd, boolean on) {
        switch (cmd) {
            case VirtioNetCtrl.VIRTIO_NET_CTRL_RX_PROMISC -> promisc = on;
            case VirtioNetCtrl.VIRTIO_NET_CTRL_RX_ALLMULTI -> allmulti = on;
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean mac(int cmd, ByteBuffer b) {
        if (cmd == VirtioNetCtrl.VIRTIO_NET_CTRL_MAC_ADDR_SET) {
            if (!has(VIRTIO_NET_F_CTRL_MAC_ADDR) || b.remaining() != 6) {
                return false;
            }
            byte[] m = new byte[6];
            b.get(m);
            dev.setMac(m);
            return true;
        }
        if (cmd != VirtioNetCtrl.VIRTIO_NET_CTRL_MAC_TABLE_SET || !has(VIRTIO_NET_F_CTRL_RX)) {
            return false;
        }
        List<MacAddress> uni = table(b);
        List<MacAddress> multi = uni == null ? null : table(b);
        if (multi == null || b.hasRemaining()) {
            return false;
        }
        multicast = multi;
        return true;
    }

    private static List<MacAddress> table(ByteBuffer b) {
        if (b.remaining() < 4) {
            return null;
        }
        long n = b.getInt() & 0xffffffffL;
        if (n * 6 > b.remaining()) {
            return null;
        }
        List<MacAddress> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] m = new byte[6];
            b.get(m);
            out.add(MacAddress.of(m));
        }
        return out;
    }

    private boolean pairs(int n) {
        if (n < 1 || n > maxPairs) {
            return false;
        }
        activePairs = n;
        return true;
    }

    private boolean has(int feature) {
        return VirtioFeatures.has(features, feature);
    }

    private static boolean allZero(byte[] b, int n) {
        for (int k = 0; k < n; k++) {
            if (b[k] != 0) {
                return false;
            }
        }
        return true;
    }

    void close() {
        running = false;
        LockSupport.unpark(worker);
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
