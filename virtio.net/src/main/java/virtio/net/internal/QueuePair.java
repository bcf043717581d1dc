package virtio.net.internal;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import virtio.net.api.DropReason;
import virtio.net.api.FrameHandler;

/**
 * A receiveq/transmitq pair and the worker that serves it, NAPI style: the queues' callbacks run
 * on the device's thread and only {@link #schedule()} the worker (set a flag, unpark); the worker
 * turns callbacks off, drains RX (delivering frames and re-posting buffers) and reclaims used TX
 * slots in bounded batches until both rings are empty, then turns callbacks on and checks once
 * more, so a buffer used between the last poll and re-enabling is never left behind
 * (virtqueue_enable_cb's race, closed by its return value).
 *
 * <p>Frames are delivered on this worker: to the receive handler if one is set, else into the
 * backlog for pollers; a tap, if set, sees each one first.
 */
final class QueuePair implements RxQueue.Sink {

    /** Frames per poll round before callbacks are reconsidered (the kernel's NAPI weight). */
    static final int BUDGET = 64;
    private static final long JOIN_MILLIS = 5_000;
    private static final System.Logger LOG = System.getLogger("virtio.net");

    final int queue;
    final RxQueue rx;
    final TxQueue tx;
    final Counters counters;
    final Backlog backlog;
    private final Receivers receivers;
    private final AtomicBoolean scheduled = new AtomicBoolean(true);
    private final Thread worker;
    private volatile boolean stopping;

    QueuePair(String name, int queue, RxQueue rx, TxQueue tx, Counters counters, Backlog backlog,
            Receivers receivers) {
        this.queue = queue;
        this.rx = rx;
        this.tx = tx;
        this.counters = counters;
        this.backlog = backlog;
        this.receivers = receivers;
        this.worker = Thread.ofPlatform().daemon().name("virtio_net " + name + " qp" + queue).unstarted(this::run);
    }

    /** Starts the worker; its first round picks up whatever arrived before. */
    void start() {
        worker.start();
    }

    /** A queue of this pair was notified (device thread): wake the worker. Never blocks. */
    void schedule() {
        if (!scheduled.getAndSet(true)) {
            LockSupport.unpark(worker);
        }
    }

    private void run() {
        while (!stopping) {
            if (!scheduled.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            try {
                pollRounds();
            } catch (RuntimeException | Error e) {
                // a bug of ours must not kill the queue silently; the next notification retries
                LOG.log(System.Logger.Level.ERROR, "virtio_net queue pair " + queue + " worker failed", e);
            }
        }
    }

    private void pollRounds() {
        rx.disableCallbacks();
        tx.disableCallbacks();
        while (!stopping) {
            int done = rx.process(BUDGET, this);
            tx.reclaim();
            if (done >= BUDGET) {
                continue;
            }
            // enable first, then look again: whatever was used meanwhile is seen now or notified later
            boolean more = rx.enableCallbacks();
            more |= tx.enableCallbacks();
            if (!more) {
                return;
            }
            rx.disableCallbacks();
            tx.disableCallbacks();
        }
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
     * Stops the worker and waits for it, bounded: after this returns normally no thread of ours
     * touches the RX ring. A handler that does not return within the bound leaves the worker
     * running; that is reported, and the ring memory is then not freed.
     *
     * @return true if the worker ended
     */
    boolean stop() {
        stopping = true;
        LockSupport.unpark(worker);
        if (!worker.isAlive() && worker.getState() == Thread.State.NEW) {
            return true;
        }
        try {
            worker.join(JOIN_MILLIS);
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(TimeUnit.SECONDS.toMillis(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.log(System.Logger.Level.ERROR, "virtio_net queue pair " + queue + " worker did not stop: a receive handler blocks");
            return false;
        }
        return true;
    }
}
