package vdpa.sim.internal;

import static virtio.net.api.VirtioNetWire.ETH_HLEN;
import static virtio.net.api.VirtioNetWire.HDR_LEN;
import static virtio.net.api.VirtioNetWire.HDR_NUM_BUFFERS;

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
 */
final class NetDatapath {

    static final int BUDGET = 64;
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final SimNetDevice dev;
    private final ControlQueue control;
    /** The receive header: all zero (no offloads) but num_buffers. */
    private final MemorySegment hdr = MemorySegment.ofArray(new byte[HDR_LEN]);
    /** The port frames were sent to in this round, to wake after the lock is released. */
    private Port touched;

    NetDatapath(SimNetDevice dev) {
        this.dev = dev;
        this.control = new ControlQueue(dev, this);
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
        DescriptorChain c;
        while (n < BUDGET && (c = vq.chain(0)) != null) {
            n++;
            // the header (maybe split over descriptors) is skipped: no offloads are offered
            long len = c.readableBytes() - HDR_LEN;
            if (len < ETH_HLEN) {
                st.inc(Stat.TX_DROP_MALFORMED);
            } else if (len > maxFrame) {
                st.inc(Stat.TX_DROP_OVERSIZE);
            } else if (peer == null) {
                st.inc(Stat.TX_DROP_LINK_DOWN);
            } else {
                peer.deliver(pair, c, HDR_LEN, (int) len);
                st.inc(Stat.TX_FRAMES);
                st.add(Stat.TX_BYTES, len);
                touched = peer;
            }
            q.pushUsed(c.id(), 0);
            vq.consume(1);
        }
        finish(vq, q, n);
        return n > 0;
    }

    private boolean receive(int pair) {
        FrameFifo fifo = dev.port.fifo(pair);
        if (fifo.isEmpty()) {
            return false;
        }
        SimVirtqueue vq = dev.vqs[2 * pair];
        DeviceQueue q = ring(vq);
        if (q == null) {
            vq.stats.add(Stat.RX_DROP_NOT_READY, fifo.clear());
            return true;
        }
        int returned = 0;
        int frames = 0;
        int len;
        while (frames < BUDGET && (len = fifo.peekLength()) >= 0) {
            returned += place(vq, q, fifo.peekSegment(), len);
            fifo.release();
            frames++;
        }
        finish(vq, q, returned);
        return true;
    }

    /**
     * Puts one frame into receive buffers: one chain, or with VIRTIO_NET_F_MRG_RXBUF as many as it
     * takes (num_buffers says how many). Returns how many chains were returned used.
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
            st.inc(Stat.RX_DROP_NO_BUFFER);
            return 0;
        }
        long need = HDR_LEN + (long) len;
        boolean mergeable = dev.mergeable();
        if (first.writableBytes() < (mergeable ? HDR_LEN : need)) {
            // a buffer that can never hold this frame goes back empty (the driver counts a length error)
            q.pushUsed(first.id(), 0);
            vq.consume(1);
            st.inc(Stat.RX_DROP_BUFFER_SMALL);
            return 1;
        }
        long room = first.writableBytes();
        int k = 1;
        while (room < need) {
            DescriptorChain c = vq.chain(k);
            if (c == null) {
                // too few buffers: the ones taken stay held for the next frame
                st.inc(Stat.RX_DROP_NO_BUFFER);
                return 0;
            }
            room += c.writableBytes();
            k++;
        }
        hdr.set(LE16, HDR_NUM_BUFFERS, (short) k);
        first.copyToWritable(0, hdr, 0, HDR_LEN);
        long src = 0;
        for (int i = 0; i < k; i++) {
            DescriptorChain c = vq.chain(i);
            long off = i == 0 ? HDR_LEN : 0;
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
