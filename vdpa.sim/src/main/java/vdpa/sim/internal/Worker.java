package vdpa.sim.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A device's datapath thread (a platform thread named {@code vdpasim-<device>}): runs rounds while
 * they make progress, spins briefly when idle, then parks until {@link #wake()} (a kick, a frame
 * for it, a state change). A wake sets a flag before unparking, and the loop clears the flag
 * before each round, so a wake during a round is never lost.
 */
final class Worker implements Runnable {

    /** Idle spins before parking: a short, bounded busy-poll that saves a park/unpark under load. */
    static final int SPINS = 2000;
    private static final System.Logger LOG = System.getLogger("vdpa.sim");

    private final Thread thread;
    private final BooleanSupplier round;
    private volatile boolean pending;
    private volatile boolean stopped;

    Worker(String name, BooleanSupplier round) {
        this.round = round;
        this.thread = Thread.ofPlatform().name("vdpasim-" + name).daemon().unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Asks for another round soon; from any thread. */
    void wake() {
        pending = true;
        LockSupport.unpark(thread);
    }

    /** Stops the thread and waits (bounded) for it to end. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                if (!thread.join(java.time.Duration.ofSeconds(10))) {
                    LOG.log(System.Logger.Level.WARNING, "worker {0} did not stop within 10 s", thread.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            pending = false;
            if (round.getAsBoolean()) {
                continue;
            }
            for (int i = 0; i < SPINS && !pending && !stopped; i++) {
                Thread.onSpinWait();
            }
            if (!pending && !stopped) {
                // wakes drive the worker: a kick (pop() answering null is a safe point to wait, see
                // DeviceQueue.pop), a peer making room, a stop. The timeout is only a backstop.
                LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
            }
        }
    }
}
