package driver.core.internal;

import driver.core.BusEventType;
import driver.core.BusException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The machinery under a bus's rules: one thread that runs the bus's work in order (the kernel's
 * device lock, bus-wide), and calls into drivers that the bus thread waits for no longer than the
 * hang timeout.
 *
 * <p>Each probe or remove runs on a thread of its own. One that has not returned in time is
 * reported once ({@link BusEventType#HUNG}) and the bus goes on; when it does return, its outcome
 * is handed back to the bus thread. Work that runs for the bus (on its thread, or inside a probe or
 * remove it called) is never made to wait for the bus, which would deadlock.
 */
final class BusThread implements AutoCloseable {

    /** A probe or a remove. */
    interface DriverCall {
        void run() throws Exception;
    }

    private static final Logger LOG = System.getLogger(BusThread.class.getName());

    private final String bus;
    private volatile Duration hangTimeout;
    private final EngineListener listener;
    private final ExecutorService thread;
    private final ThreadLocal<Boolean> busWork = ThreadLocal.withInitial(() -> false);

    BusThread(String bus, Duration hangTimeout, EngineListener listener) {
        this.bus = bus;
        this.hangTimeout = hangTimeout;
        this.listener = listener;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                busWork.set(true);
                r.run();
            }, "bus-" + bus);
            t.setDaemon(true);
            return t;
        });
    }

    /** Sets how long the bus waits for a probe or remove; the calls made from now on wait this long. */
    void hangTimeout(Duration timeout) {
        this.hangTimeout = timeout;
    }

    /** Queues work on the bus thread; if the bus is closed, an already failed future. */
    private <T> Future<T> submit(Callable<T> work) {
        try {
            return thread.submit(work);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(closed());
        }
    }

    /** The refusal of a closed bus. */
    BusException closed() {
        return new BusException("bus " + bus + " is closed");
    }

    /**
     * Queues work nobody waits for (a device or driver arriving, a late return). What it throws is
     * logged: there is no caller to throw it to.
     *
     * @return false if the bus is closed and the work was not taken
     */
    boolean post(String what, Runnable work) {
        return !refused(submit(logged(what, work)));
    }

    /** True once the bus thread takes no more work. */
    boolean isClosed() {
        return thread.isShutdown();
    }

    /**
     * Runs work on the bus thread and waits for it, unless the caller is bus work itself: that
     * caller must not wait for the bus, so the work is only queued. Either way, what the work
     * throws is logged.
     *
     * @return false if the bus is closed and the work was not taken
     */
    boolean runAndWait(String what, Runnable work) {
        Future<?> f = submit(logged(what, work));
        if (refused(f)) {
            return false;
        }
        if (!busWork.get()) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause()); // not reached: logged() throws nothing
            }
        }
        return true;
    }

    private static boolean refused(Future<?> f) {
        return f instanceof CompletableFuture<?> c && c.isCompletedExceptionally();
    }

    private Callable<Void> logged(String what, Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "bus " + bus + ": " + what + " failed", e);
            }
            return null;
        };
    }

    /** Runs a steering operation on the bus thread and returns when it is done; refused inside bus work. */
    void steer(Callable<Void> op) throws BusException {
        if (busWork.get()) {
            throw new BusException("bus " + bus + " cannot be steered from inside a probe or remove");
        }
        await(submit(op));
    }

    /** Answers a question on the bus thread; refused inside bus work. */
    <T> T query(Callable<T> q) {
        if (busWork.get()) {
            throw new IllegalStateException("bus " + bus + " cannot be listed from inside a probe or remove");
        }
        try {
            return await(submit(q));
        } catch (BusException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Calls a driver on a thread of its own and waits up to the hang timeout. A call that is late
     * is reported once and answered {@link Outcome#HUNG}; when it returns, {@code late} receives
     * its outcome on the bus thread.
     *
     * @param kind {@code probe} or {@code remove}, for the thread's name and the report
     */
    Outcome call(String kind, String device, String driver, DriverCall body, Consumer<Outcome> late) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        Thread.ofVirtual().name(kind + "-" + bus + "-" + device).start(() -> {
            busWork.set(true);
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.complete(t);
            }
        });
        long timeoutMs = hangTimeout.toMillis();
        try {
            return Outcome.of(done.get(timeoutMs, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            String what = kind + " of " + device + " by " + driver;
            LOG.log(Level.ERROR, "bus {0}: {1} has not returned after {2} ms; the bus goes on without it",
                    bus, what, timeoutMs);
            listener.event(BusEventType.HUNG, device, driver, what + " has not returned after " + timeoutMs + " ms");
            done.whenComplete((error, ignored) -> post("settling the late " + what, () -> {
                LOG.log(Level.WARNING, "bus {0}: {1} returned late", bus, what);
                late.accept(Outcome.of(error));
            }));
            return Outcome.HUNG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.HUNG;
        } catch (ExecutionException e) {
            return Outcome.of(e.getCause()); // not reached: the future completes normally
        }
    }

    /** Stops taking work; what is queued still runs. */
    @Override
    public void close() {
        thread.shutdown();
    }

    private static <T> T await(Future<T> f) throws BusException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BusException be) {
                throw be;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
