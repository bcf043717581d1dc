package virtio.net.internal;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import virtio.net.api.DropReason;
import virtio.net.api.FrameHandler;
import virtio.ring.work.WorkerPool;

/**
 * A receiveq/transmitq pair and the job that serves it on the driver's {@link WorkerPool}, NAPI
 * style: the queues' callbacks run on the device's thread and only {@link #schedule()} the job;
 * its first round turns callbacks off, each round drains RX (delivering frames and re-posting
 * buffers) and reclaims used TX slots in a bounded batch, and a round that leaves both rings empty
 * turns callbacks on and checks once more, so a buffer used between the last poll and re-enabling
 * is never left behind (virtqueue_enable_cb's race, closed by its return value). The pool runs the
 * job again while that check or the budget says there is more, on one worker at a time.
 *
 * <p>Frames are delivered in the job's rounds: to the receive handler if one is set, else into the
 * backlog for pollers; a tap, if set, sees each one first.
 */
final class QueuePair implements RxQueue.Sink {

    /** Frames per poll round before callbacks are reconsidered (the kernel's NAPI weight). */
    static final int BUDGET = 64;
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger("virtio.net");

    final int queue;
    final RxQueue rx;
    final TxQueue tx;
    final Counters counters;
    final Backlog backlog;
    private final Receivers receivers;
    private final WorkerPool.Job job;
    private volatile boolean stopping;
    /** Callbacks are off: the job is polling. Touched only in the job's rounds. */
    private boolean polling;

    QueuePair(String name, int queue, RxQueue rx, TxQueue tx, Counters counters, Backlog backlog,
            Receivers receivers, WorkerPool pool) {
        this.queue = queue;
        this.rx = rx;
        this.tx = tx;
        this.counters = counters;
        this.backlog = backlog;
        this.receivers = receivers;
        this.job = pool.job("virtio_net " + name + " qp" + queue, this::round);
    }

    /** Starts serving; the first round picks up whatever arrived before. */
    void start() {
        job.schedule();
    }

    /** A queue of this pair was notified (device thread): schedule the job. Never blocks. */
    void schedule() {
        job.schedule();
    }

    /** One NAPI poll: true while there may be more (budget used up, or work seen on re-enabling). */
    private boolean round() {
        if (stopping) {
            return false;
        }
        if (!polling) {
            rx.disableCallbacks();
            tx.disableCallbacks();
            polling = true;
        }
        int done = rx.process(BUDGET, this);
        tx.reclaim();
        if (done >= BUDGET) {
            return true;
        }
        // enable first, then look again: whatever was used meanwhile is seen now or notified later
        polling = false;
        boolean more = rx.enableCallbacks();
        more |= tx.enableCallbacks();
        return more;
    }

    @Override
    public void deliver(MemorySegment frame) {
        FrameHandler t = receivers.tap;
        if (t != null) {
            tap(t, frame);
        }
        FrameHandler h = receivers.handler;
        if (h == null) {
            backlog.offer(frame);
            return;
        }
        long len = frame.byteSize();
        try {
            h.frame(queue, frame.asReadOnly());
            counters.received(len);
        } catch (RuntimeException | Error e) {
            // an Error too (an assertion, a class gone with the handler's bundle): the frame is
            // counted and the queue pair goes on
            counters.drop(DropReason.RX_HANDLER_ERROR);
        }
    }

    /** The tap sees the frame and cannot lose it: whatever it throws, the frame goes on to be delivered. */
    private void tap(FrameHandler t, MemorySegment frame) {
        try {
            t.frame(queue, frame.asReadOnly());
        } catch (RuntimeException | Error e) {
            // a tap only watches; its failure is its own
        }
    }

    /**
     * Stops the job and waits for a round in flight, bounded: after this returns true no thread
     * of ours touches the RX ring. A handler that does not return within the bound (nor after an
     * interrupt) leaves its round running; that is reported, and the ring memory is then not freed.
     *
     * @return true if no round runs any more
     */
    boolean stop() {
        stopping = true;
        if (job.cancel(STOP_WAIT)) {
            return true;
        }
        LOG.log(System.Logger.Level.ERROR, "virtio_net queue pair " + queue + " did not stop: a receive handler blocks");
        return false;
    }
}
