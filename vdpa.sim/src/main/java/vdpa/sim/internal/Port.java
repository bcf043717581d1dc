package vdpa.sim.internal;

import java.lang.foreign.MemorySegment;
import virtio.ring.DescriptorChain;

/**
 * A device's end of a link: where its worker sends frames ({@link #peer()}), and its receive
 * FIFOs, one per RX queue, where senders put frames for it.
 *
 * <p><b>Receive steering.</b> A frame sent on transmit queue pair {@code p} lands on receive
 * pair {@code p mod n}, {@code n} being the receiver's active pairs (1, or what the driver set
 * with VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET). Frames sent on one queue therefore stay in order on
 * one receive queue; a driver that hashes flows to TX queues keeps them on one RX queue too.
 *
 * <p>Every frame offered ends in the receiver's counters: in a FIFO, or as
 * {@link Stat#RX_DROP_NOT_READY} or {@link Stat#RX_DROP_FIFO_FULL}.
 */
final class Port {

    /** Told when the port's link comes up or goes down. */
    interface Listener {
        void linkChanged(boolean up);
    }

    private final String owner;
    private final FrameFifo[] fifos;
    private final QueueStats[] rxStats;
    private final Runnable wake;
    private final Listener listener;
    private volatile Port peer;
    private volatile int rxPairs = 1;
    private volatile boolean receiving;

    /**
     * @param rxStats the counters of RX queue pair 0, 1, ...
     * @param wake wakes the owner's worker
     */
    Port(String owner, QueueStats[] rxStats, Runnable wake, Listener listener) {
        this.owner = owner;
        this.rxStats = rxStats;
        this.fifos = new FrameFifo[rxStats.length];
        for (int i = 0; i < fifos.length; i++) {
            fifos[i] = new FrameFifo();
        }
        this.wake = wake;
        this.listener = listener;
    }

    String owner() {
        return owner;
    }

    /** Where frames sent by this port's device go; null while the link is down. */
    Port peer() {
        return peer;
    }

    /** Connects the wire to {@code to} (this port itself for loopback), or with null cuts it. */
    void connect(Port to) {
        Port old = peer;
        peer = to;
        if ((old == null) != (to == null)) {
            listener.linkChanged(to != null);
        }
    }

    /** The FIFO of RX pair {@code pair}; the owner's consumer side. */
    FrameFifo fifo(int pair) {
        return fifos[pair];
    }

    int fifoCount() {
        return fifos.length;
    }

    /** The owner sets how many RX pairs receive, and whether it is running at all. */
    void receiveOn(int pairs, boolean running) {
        rxPairs = Math.max(1, Math.min(pairs, fifos.length));
        receiving = running;
    }

    /** A sender hands over a frame from its TX chain (one copy); see the class comment for steering. */
    void deliver(int txPair, DescriptorChain chain, long from, int length) {
        int pair = txPair % rxPairs;
        if (!receiving) {
            rxStats[pair].inc(Stat.RX_DROP_NOT_READY);
        } else if (!fifos[pair].offer(chain, from, length)) {
            rxStats[pair].inc(Stat.RX_DROP_FIFO_FULL);
        }
    }

    /** As {@link #deliver(int, DescriptorChain, long, int)}, from a segment. */
    void deliver(int txPair, MemorySegment frame) {
        int pair = txPair % rxPairs;
        if (!receiving) {
            rxStats[pair].inc(Stat.RX_DROP_NOT_READY);
        } else if (!fifos[pair].offer(frame)) {
            rxStats[pair].inc(Stat.RX_DROP_FIFO_FULL);
        }
    }

    /** Wakes the owner's worker: frames are waiting. */
    void wake() {
        wake.run();
    }
}
