package vdpa.sim.internal;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p><b>Flow control.</b> The link is lossless, like Ethernet with PAUSE frames: a frame for a
 * full FIFO is refused, not dropped, and the sender keeps it in its TX ring. A sender asks
 * {@link #admits} before it takes a frame; a port that says no has registered the sender's
 * wake-up with the FIFO, and runs it when its worker frees room. A frame offered to a port that
 * is not receiving (the device is not live) can never be delivered: it is taken and counted as
 * {@link Stat#RX_DROP_NOT_READY}, so a dead receiver never stalls its sender.
 *
 * <p>Every frame taken ends in the receiver's counters: in a FIFO (then in RX buffers, or in a
 * drop counter), or as {@link Stat#RX_DROP_NOT_READY}.
 *
 * <p><b>A sink</b> ({@link #sink}) is the far end of a link that only counts: it admits every
 * frame and counts it as {@link Stat#SINK_FRAMES} without copying it. A sender that would rather
 * wait than have its frames dropped while the receiver is not live (a generator) asks
 * {@link #receivingOrWait} first.
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
    private final int maxFrame;
    /** A sink's counters, or null for a port that receives into its FIFOs. */
    private final QueueStats sink;
    /** The wake-up of a sender waiting for the port to receive, or null. */
    private final AtomicReference<Runnable> readyWaiter = new AtomicReference<>();
    private volatile Port peer;
    private volatile int rxPairs = 1;
    private volatile boolean receiving;

    /**
     * @param rxStats the counters of RX queue pair 0, 1, ...
     * @param maxFrame the longest frame the owner takes (MTU + Ethernet header)
     * @param wake wakes the owner's worker
     */
    Port(String owner, QueueStats[] rxStats, int maxFrame, Runnable wake, Listener listener) {
        this(owner, rxStats, maxFrame, wake, listener, null);
    }

    private Port(String owner, QueueStats[] rxStats, int maxFrame, Runnable wake, Listener listener, QueueStats sink) {
        this.owner = owner;
        this.maxFrame = maxFrame;
        this.sink = sink;
        this.rxStats = rxStats;
        this.fifos = new FrameFifo[rxStats.length];
        for (int i = 0; i < fifos.length; i++) {
            fifos[i] = new FrameFifo();
        }
        this.wake = wake;
        this.listener = listener;
    }

    /**
     * A far end that counts every frame delivered to it in {@code counters} ({@link Stat#SINK_FRAMES},
     * {@link Stat#SINK_BYTES}) and drops it; always receiving, never full.
     */
    static Port sink(String owner, QueueStats counters) {
        Port p = new Port(owner, new QueueStats[] {counters}, Integer.MAX_VALUE, () -> {}, up -> {}, counters);
        p.receiving = true;
        return p;
    }

    String owner() {
        return owner;
    }

    /** The longest frame the owner takes: a link that makes frames checks them against it. */
    int maxFrame() {
        return maxFrame;
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

    /**
     * The owner (under its device lock) sets how many RX pairs receive, and whether it receives at
     * all. When that changes, whatever sits in the FIFOs is discarded: frames of a device that
     * stopped can never be delivered, and ones that slipped in while it was stopped are stale.
     */
    void receiveOn(int pairs, boolean accepting) {
        rxPairs = Math.max(1, Math.min(pairs, fifos.length));
        if (receiving != accepting) {
            // volatile store before the discard: senders that come after it drop rather than queue
            receiving = accepting;
            discard();
            if (accepting) {
                // volatile load after the store above: a sender that registered before it is woken,
                // one that registers after it sees receiving (see receivingOrWait)
                Runnable w = readyWaiter.getAndSet(null);
                if (w != null) {
                    w.run();
                }
            }
        }
    }

    /**
     * Whether the port receives now (its device is live); if not, {@code wake} runs once it starts
     * to. For a sender that waits rather than have frames dropped as not ready.
     */
    boolean receivingOrWait(Runnable wake) {
        if (receiving) {
            return true;
        }
        // volatile store, then the volatile load of receiving: either we see the owner's store, or
        // the owner, which loads the waiter after its store, sees ours (no lost wake-up)
        readyWaiter.set(wake);
        return receiving;
    }

    /** Drops every waiting frame as {@link Stat#RX_DROP_NOT_READY} and wakes paused senders; the owner, under its lock. */
    void discard() {
        for (int p = 0; p < fifos.length; p++) {
            rxStats[p].add(Stat.RX_DROP_NOT_READY, fifos[p].clear());
            fifos[p].wakeWaiter();
        }
    }

    /**
     * Whether a frame sent on {@code txPair} can be handed over now (the sender peeks before it
     * takes the frame off its ring). If not, {@code senderWake} runs once room is freed.
     */
    boolean admits(int txPair, Runnable senderWake) {
        // not receiving: the frame is taken and dropped, nothing to wait for; a sink takes everything
        return !receiving || sink != null || fifos[txPair % rxPairs].roomOrWait(senderWake);
    }

    /**
     * A sender hands over a frame from its TX chain (one copy); see the class comment for
     * steering. False if the FIFO is full: nothing was copied or counted, the sender keeps the frame.
     */
    boolean deliver(int txPair, DescriptorChain chain, long from, int length) {
        if (sink != null) {
            return sunk(length);
        }
        int pair = txPair % rxPairs;
        if (!receiving) {
            rxStats[pair].inc(Stat.RX_DROP_NOT_READY);
            return true;
        }
        return fifos[pair].offer(chain, from, length);
    }

    /** As {@link #deliver(int, DescriptorChain, long, int)}, from the first {@code length} bytes of a segment. */
    boolean deliver(int txPair, MemorySegment frame, int length) {
        if (sink != null) {
            return sunk(length);
        }
        int pair = txPair % rxPairs;
        if (!receiving) {
            rxStats[pair].inc(Stat.RX_DROP_NOT_READY);
            return true;
        }
        return fifos[pair].offer(frame, length);
    }

    /** A sink counts the frame and drops it; by the sender's worker, under its device lock (one sender). */
    private boolean sunk(int length) {
        sink.inc(Stat.SINK_FRAMES);
        sink.add(Stat.SINK_BYTES, length);
        return true;
    }

    /** Wakes the owner's worker: frames are waiting. */
    void wake() {
        wake.run();
    }

    /** The owner's wake-up, for a FIFO to run when it frees room this port's sender waits for. */
    Runnable waker() {
        return wake;
    }
}
