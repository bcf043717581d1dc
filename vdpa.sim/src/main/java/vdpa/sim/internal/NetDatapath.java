package vdpa.sim.internal;

import static virtio.net.api.Ethernet.ETH_HLEN;
import static virtio.spec.VirtioNetHdr.VIRTIO_NET_HDR_NUM_BUFFERS;
import static virtio.spec.VirtioNetHdr.VIRTIO_NET_HDR_SIZE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import virtio.ring.DescriptorChain;
import virtio.ring.DeviceQueue;

/**
 * The device worker's round over the queues (virtio 1.2 section 5.1.6): transmit chains carry a
 * virtio_net_hdr and a frame, which goes to the link; frames waiting in the receive FIFOs go into
 * receive buffers behind a header. Runs under the device lock, which control operations also take,
 * so a reset or suspend never meets a half-done round; each queue gets at most {@link #BUDGET}
 * chains per round so the lock is released often.
 *
 * <p><b>Waiting, not dropping.</b> A frame that finds no receive buffer (or too few for a
 * mergeable frame) stays at the head of its FIFO until the driver posts more; its kick wakes the
 * worker. A transmit queue whose peer FIFO is full takes nothing more off its ring until the
 * peer's worker frees room and wakes this one ({@link FrameFifo#roomOrWait}), so back-pressure
 * reaches the driver as a full TX ring. A frame is dropped only when it can never be delivered:
 * malformed, oversize, link down, filtered, or the receiver not live or its queue not ready.
 *
 * <p><b>Kicks only when needed.</b> While a queue has work the datapath asks the driver not to
 * kick it ({@link DeviceQueue#disableNotifications}: VIRTQ_USED_F_NO_NOTIFY, or with EVENT_IDX an
 * event index out of reach) and comes back to it by itself; a kick costs the driver a system call
 * (an eventfd write over vhost-user) and the device a wake-up. A transmit queue paused on a full
 * peer needs no kick either: the peer's wake-up brings it back. A transmit queue asks for kicks
 * again when it runs dry, a receive queue when a frame finds no buffer; each re-enable re-reads
 * the ring behind a full fence ({@link DeviceQueue#enableNotifications}) and goes on if buffers
 * came meanwhile, so no kick is lost.
 *
 * <p><b>No deadlock.</b> A worker never blocks: a waiting queue just ends its part of the round,
 * and the round goes on to the device's other queues, its receive FIFOs included. So waits form a
 * chain that always ends at a driver (TX waits for the peer's FIFO, which waits for the peer's RX
 * buffers, which wait for nothing on the link), never a cycle: two devices sending to each other,
 * or one to itself on loopback, each keep draining what they are sent while their own sending
 * waits. Locks do not nest across devices either: a sender holds its own device lock and then only
 * the peer FIFO's producer lock, a leaf.
 */
final class NetDatapath {

    static final int BUDGET = 64;
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final SimNetDevice dev;
    private final ControlQueue control;
    /** The receive header: all zero (no offloads) but num_buffers. */
    private final MemorySegment hdr = MemorySegment.ofArray(new byte[VIRTIO_NET_HDR_SIZE]);
    /** Runs this device's worker again: what a full peer FIFO calls when it has room. */
    private final Runnable wakeSelf;
    /** The port frames were sent to in this round, to wake after the lock is released. */
    private Port touched;

    NetDatapath(SimNetDevice dev) {
        this.dev = dev;
        this.control = new ControlQueue(dev, this);
        this.wakeSelf = dev.port.waker();
    }

    /** One round; under the device lock. Returns whether anything was done. */
    boolean pass() {
        if (!dev.running()) {
            return false;
        }
        boolean progress = false;
        int pairs = dev.layoutPairs();
        for (int p = 0; p < pairs && dev.running(); p++) {
            progress |= transmit(p);
        }
        for (int p = 0; p < pairs && dev.running(); p++) {
            progress |= receive(p);
        }
        int c = dev.ctrlIndex();
        if (c >= 0 && dev.running()) {
            progress |= control.process(dev.vqs[c]);
        }
        return progress;
    }

    /** Wakes the receiver of this round's frames; outside the device lock. */
    void wakePeer() {
        Port p = touched;
        touched = null;
        if (p != null) {
            p.wake();
        }
    }

    /** The open ring of a ready queue, opening it on first use; null if not ready or broken. */
    DeviceQueue ring(SimVirtqueue vq) {
        if (!vq.ready) {
            return null;
        }
        if (vq.ring == null) {
            if (!vq.configured()) {
                dev.needsReset("virtqueue " + vq.index + " is ready without size and addresses");
                return null;
            }
            vq.open(dev.space, dev.driverFeatures(), dev.ringErrors);
        }
        if (vq.ring.isBroken()) {
            dev.needsReset("virtqueue " + vq.index + ": " + vq.ring.brokenReason());
            return null;
        }
        return vq.ring;
    }

    /** Publishes what a queue returned, interrupts if the driver wants it, and notes a break. */
    void finish(SimVirtqueue vq, DeviceQueue q, int returned) {
        if (returned > 0) {
            q.publishUsed();
            if (q.needsNotify()) {
                dev.interrupt(vq);
            }
        }
        if (q.isBroken()) {
            dev.needsReset("virtqueue " + vq.index + ": " + q.brokenReason());
        }
    }

    private boolean transmit(int pair) {
        SimVirtqueue vq = dev.vqs[2 * pair + 1];
        DeviceQueue q = ring(vq);
        if (q == null) {
            return false;
        }
        QueueStats st = vq.stats;
        Port peer = dev.port.peer();
        long maxFrame = dev.maxFrame();
        int n = 0;
        for (int i = 0; i < BUDGET; i++) {
            // peek for room before taking a chain: a full peer leaves it in the ring (back-pressure)
            if (peer != null && !peer.admits(pair, wakeSelf)) {
                // the peer's wake-up brings the queue back, kicks would only wake it for nothing
                quiet(vq, q);
                pause(vq);
                break;
            }
            DescriptorChain c = vq.chain(0);
            if (c == null) {
                if (wantKicks(vq, q)) {
                    // chains came while kicks were off: go on taking them
                    c = vq.chain(0);
                }
                if (c == null) {
                    break;
                }
            }
            quiet(vq, q);
            // the header (maybe split over descriptors) is skipped: no offloads are offered
            long len = c.readableBytes() - VIRTIO_NET_HDR_SIZE;
            if (len < ETH_HLEN) {
                st.inc(Stat.TX_DROP_MALFORMED);
            } else if (len > maxFrame) {
                st.inc(Stat.TX_DROP_OVERSIZE);
            } else if (peer == null) {
                st.inc(Stat.TX_DROP_LINK_DOWN);
            } else if (!peer.deliver(pair, c, VIRTIO_NET_HDR_SIZE, (int) len)) {
                // the FIFO filled after the peek (a relink, a steering change): the chain stays held, first next time
                continue;
            } else {
                st.inc(Stat.TX_FRAMES);
                st.add(Stat.TX_BYTES, len);
                touched = peer;
                vq.waiting = false;
            }
            q.pushUsed(c.id(), 0);
            vq.consume(1);
            n++;
        }
        finish(vq, q, n);
        return n > 0;
    }

    /** The datapath is busy with the queue: the driver need not kick it. */
    private static void quiet(SimVirtqueue vq, DeviceQueue q) {
        if (!vq.quiet) {
            q.disableNotifications();
            vq.quiet = true;
        }
    }

    /**
     * The queue ran dry: the driver is asked to kick again. Returns true if buffers were added
     * while kicks were off (look again now: no kick will come for them).
     */
    private static boolean wantKicks(SimVirtqueue vq, DeviceQueue q) {
        if (!vq.quiet) {
            return false;
        }
        vq.quiet = false;
        return q.enableNotifications();
    }

    /** The queue waits for room at the peer; counted once per wait. */
    private static void pause(SimVirtqueue vq) {
        if (!vq.waiting) {
            vq.waiting = true;
            vq.stats.inc(Stat.TX_PAUSE);
        }
    }

    private boolean receive(int pair) {
        FrameFifo fifo = dev.port.fifo(pair);
        if (fifo.isEmpty()) {
            return false;
        }
        SimVirtqueue vq = dev.vqs[2 * pair];
        DeviceQueue q = ring(vq);
        if (q == null) {
            // the queue is not ready (or just broke): these frames can never reach it
            vq.stats.add(Stat.RX_DROP_NOT_READY, fifo.clear());
            fifo.wakeWaiter();
            return true;
        }
        int returned = 0;
        int frames = 0;
        int len;
        while (frames < BUDGET && (len = fifo.peekLength()) >= 0) {
            int k = place(vq, q, fifo.peekSegment(), len);
            if (k < 0 && wantKicks(vq, q)) {
                // buffers were posted while kicks were off: try them
                k = place(vq, q, fifo.peekSegment(), len);
            }
            if (k < 0) {
                // the frame stays at the head; the driver's kick when it posts buffers wakes the worker
                if (!vq.waiting) {
                    vq.waiting = true;
                    vq.stats.inc(Stat.RX_WAIT_BUFFER);
                }
                break;
            }
            vq.waiting = false;
            quiet(vq, q);
            returned += k;
            fifo.release();
            frames++;
        }
        finish(vq, q, returned);
        if (frames > 0) {
            // only an unpark: safe under the lock
            fifo.wakeWaiter();
        }
        return frames > 0;
    }

    /**
     * Puts one frame into receive buffers: one chain, or with VIRTIO_NET_F_MRG_RXBUF as many as it
     * takes (num_buffers says how many). Returns how many chains were returned used (0 for a frame
     * dropped), or -1 if there are too few buffers yet: the frame must wait.
     */
    private int place(SimVirtqueue vq, DeviceQueue q, MemorySegment frame, int len) {
        QueueStats st = vq.stats;
        if (len > dev.maxFrame()) {
            st.inc(Stat.RX_DROP_OVERSIZE);
            return 0;
        }
        Stat filtered = dev.filter.check(frame);
        if (filtered != null) {
            st.inc(filtered);
            return 0;
        }
        DescriptorChain first = vq.chain(0);
        if (first == null) {
            return -1;
        }
        long need = VIRTIO_NET_HDR_SIZE + (long) len;
        boolean mergeable = dev.mergeable();
        if (first.writableBytes() < (mergeable ? VIRTIO_NET_HDR_SIZE : need)) {
            // a buffer that can never hold this frame (the driver broke the spec's size rule) goes back
            // empty, and the driver counts a length error; waiting would only burn the next buffers too
            q.pushUsed(first.id(), 0);
            vq.consume(1);
            st.inc(Stat.RX_DROP_BUFFER_SMALL);
            return 1;
        }
        long room = first.writableBytes();
        int descriptors = first.descriptorCount();
        int k = 1;
        while (room < need) {
            DescriptorChain c = vq.chain(k);
            if (c == null) {
                if (descriptors >= q.size()) {
                    // every descriptor of the ring is held and the frame still does not fit: no
                    // buffer can come to complete it, so it is dropped, counted, and its buffers go
                    // back empty instead of stalling the link behind it for good
                    for (int i = 0; i < k; i++) {
                        q.pushUsed(vq.chain(i).id(), 0);
                    }
                    vq.consume(k);
                    st.inc(Stat.RX_DROP_BUFFER_SMALL);
                    return k;
                }
                // too few buffers: the ones taken stay held for this frame's next try
                return -1;
            }
            room += c.writableBytes();
            descriptors += c.descriptorCount();
            k++;
        }
        hdr.set(LE16, VIRTIO_NET_HDR_NUM_BUFFERS, (short) k);
        first.copyToWritable(0, hdr, 0, VIRTIO_NET_HDR_SIZE);
        long src = 0;
        for (int i = 0; i < k; i++) {
            DescriptorChain c = vq.chain(i);
            long off = i == 0 ? VIRTIO_NET_HDR_SIZE : 0;
            long n = Math.max(0, Math.min(c.writableBytes() - off, len - src));
            if (n > 0) {
                c.copyToWritable(off, frame, src, n);
            }
            src += n;
            q.pushUsed(c.id(), (int) (off + n));
        }
        vq.consume(k);
        st.inc(Stat.RX_FRAMES);
        st.add(Stat.RX_BYTES, len);
        return k;
    }
}
