package virtio.ring.work;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A few platform threads that serve many queues: each {@link Job} (a device's datapath, a queue
 * pair) runs on whichever worker is free when it is {@linkplain Job#schedule() scheduled}, one
 * worker at a time, and costs no thread while idle. The kernel does the same with NAPI and with
 * vhost workers shared between devices; a thread per device would make a thousand idle devices a
 * thousand parked threads.
 *
 * <p><b>A job's life.</b> {@code IDLE -> QUEUED} by {@link Job#schedule()} (from any thread, a
 * kick or an interrupt), {@code QUEUED -> RUNNING} when a worker takes it, then rounds: the worker
 * calls the job's {@link Round} again while it reports progress or was scheduled again meanwhile,
 * and after {@link #FAIR_ROUNDS} rounds gives way to a job queued behind it. A round that finds
 * nothing to do and no new schedule returns the job to {@code IDLE}. A schedule is never lost: it
 * sets the job's pending flag before looking at the state, and a worker clears the flag before
 * each round and looks at it after setting the state to idle.
 *
 * <p><b>Idle workers</b> spin for a bounded time ({@code spin}), catching the next schedule of any
 * job without a park and unpark, then park until one comes.
 *
 * <p><b>A round that blocks</b> (a receive handler that waits) holds its worker. Jobs queued behind
 * it are not stranded: a schedule that finds no idle worker while one has been in the same round
 * for {@link #STUCK} starts a spare worker (at most {@code maxWorkers} in all), and a spare that
 * stays idle for {@link #SPARE_IDLE} ends. {@link Job#cancel} waits for the running round, bounded.
 *
 * <p>Nothing here allocates once a job exists: the run queue and the idle workers are intrusive
 * lists under one monitor.
 */
public final class WorkerPool implements AutoCloseable {

    /** Consecutive rounds a job runs before a job queued behind it gets the worker. */
    public static final int FAIR_ROUNDS = 16;
    /** A round longer than this, with jobs waiting and no idle worker, makes the pool start a spare. */
    public static final Duration STUCK = Duration.ofMillis(100);
    /** A spare worker idle this long ends. */
    public static final Duration SPARE_IDLE = Duration.ofSeconds(1);
    /** The default idle spin: short, so idle workers do not take the CPU from busy threads on small machines. */
    public static final Duration DEFAULT_SPIN = Duration.ofNanos(20_000);

    private static final Logger LOG = System.getLogger(WorkerPool.class.getName());
    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int RUNNING = 2;
    private static final int CANCELLED = 3;

    private final String name;
    private final int coreWorkers;
    private final int maxWorkers;
    private final long spinNanos;
    /** Guards the run queue, the idle stack, the worker list and the job list. */
    private final Object lock = new Object();
    private final List<Worker> workers = new ArrayList<>();
    private final List<Job> jobs = new ArrayList<>();
    private Job head;
    private Job tail;
    private Worker idle;
    /** Jobs in the run queue; read without the lock by spinning workers. */
    private volatile int queued;
    private volatile boolean closed;
    /** Workers started so far, for their names. */
    private int started;

    /**
     * @param name prefix of the workers' thread names ({@code name-0}, {@code name-1}, ...)
     * @param coreWorkers workers that always exist (at least 1)
     * @param maxWorkers the most workers with spares for blocked rounds (at least {@code coreWorkers})
     * @param spin how long an idle worker polls for a new job before it parks
     */
    public WorkerPool(String name, int coreWorkers, int maxWorkers, Duration spin) {
        if (coreWorkers < 1 || maxWorkers < coreWorkers || spin.isNegative()) {
            throw new IllegalArgumentException("workers " + coreWorkers + ".." + maxWorkers + ", spin " + spin);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.coreWorkers = coreWorkers;
        this.maxWorkers = maxWorkers;
        this.spinNanos = spin.toNanos();
        synchronized (lock) {
            for (int i = 0; i < coreWorkers; i++) {
                startWorker(false);
            }
        }
    }

    /** A pool of {@code coreWorkers} with up to 32 spares and the {@linkplain #DEFAULT_SPIN default spin}. */
    public WorkerPool(String name, int coreWorkers) {
        this(name, coreWorkers, coreWorkers + 32, DEFAULT_SPIN);
    }

    /**
     * Workers for one datapath pool of a bundle: half the CPUs, one to four. A device's datapath
     * and its driver's are two pools that hand work to each other, and the threads that send and
     * receive need CPUs too; more workers than that only take turns on the same CPUs, and every
     * turn is a park and a wake-up.
     */
    public static int datapathWorkers() {
        return Math.clamp(Runtime.getRuntime().availableProcessors() / 2, 1, 4);
    }

    /** One bounded piece of work of a job; runs on a worker, never on two at once. */
    @FunctionalInterface
    public interface Round {
        /** Does some work; true if it made progress (the worker runs it again). Should not block. */
        boolean run();
    }

    /** A new idle job; nothing runs until it is {@linkplain Job#schedule() scheduled}. */
    public Job job(String jobName, Round round) {
        Job j = new Job(jobName, round);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("worker pool " + name + " is closed");
            }
            jobs.add(j);
        }
        return j;
    }

    /** Names of the jobs not cancelled yet, for listings and tests. */
    public List<String> jobNames() {
        synchronized (lock) {
            return jobs.stream().map(j -> j.name).toList();
        }
    }

    /** Workers now, spares included. */
    public int workers() {
        synchronized (lock) {
            return workers.size();
        }
    }

    /** Cancels every job and stops the workers, waiting (bounded) for rounds in flight. */
    @Override
    public void close() {
        List<Job> all;
        synchronized (lock) {
            all = new ArrayList<>(jobs);
        }
        for (Job j : all) {
            j.cancel(Duration.ofSeconds(5));
        }
        List<Worker> ws;
        synchronized (lock) {
            closed = true;
            ws = new ArrayList<>(workers);
        }
        for (Worker w : ws) {
            LockSupport.unpark(w.thread);
        }
        for (Worker w : ws) {
            if (w.thread != Thread.currentThread()) {
                try {
                    if (!w.thread.join(Duration.ofSeconds(5))) {
                        LOG.log(Level.WARNING, "{0} did not stop within 5 s", w.thread.getName());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "worker pool " + name + " (" + workers() + " workers, " + queued + " queued)";
    }

    // ---------------------------------------------------------------- the run queue (under lock)

    private void enqueue(Job j) {
        j.next = null;
        if (tail == null) {
            head = j;
        } else {
            tail.next = j;
        }
        tail = j;
        queued++;
        Worker w = idle;
        if (w != null) {
            idle = w.nextIdle;
            w.nextIdle = null;
            w.parked = false;
            LockSupport.unpark(w.thread);
        } else if (workers.size() < maxWorkers && !closed && someWorkerStuck()) {
            startWorker(true);
        }
    }

    private Job dequeue() {
        Job j = head;
        if (j != null) {
            head = j.next;
            if (head == null) {
                tail = null;
            }
            j.next = null;
            queued--;
        }
        return j;
    }

    private boolean someWorkerStuck() {
        long now = System.nanoTime();
        for (Worker w : workers) {
            long started = w.roundStarted;
            if (started != 0 && now - started > STUCK.toNanos()) {
                return true;
            }
        }
        return false;
    }

    private void startWorker(boolean spare) {
        Worker w = new Worker(spare);
        workers.add(w);
        if (spare) {
            LOG.log(Level.INFO, "{0}: a round has run for over {1} ms; spare worker {2} started", name,
                    STUCK.toMillis(), w.thread.getName());
        }
        w.thread.start();
    }

    // ---------------------------------------------------------------- jobs

    /** A job of this pool: one device's or queue's work, served by one worker at a time. */
    public final class Job {
        private final String name;
        private final Round round;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile boolean pending;
        /** The worker thread in a round of this job, or null; guarded by this job's monitor. */
        private Thread runner;
        /** Next in the run queue; guarded by the pool's lock. */
        private Job next;

        private Job(String name, Round round) {
            this.name = Objects.requireNonNull(name, "name");
            this.round = Objects.requireNonNull(round, "round");
        }

        public String name() {
            return name;
        }

        /** Asks for a round soon; from any thread, never blocks for long, allocates nothing. */
        public void schedule() {
            // the flag first: a worker finishing a round looks at it after it set the job idle
            pending = true;
            if (state.get() == IDLE && state.compareAndSet(IDLE, QUEUED)) {
                synchronized (lock) {
                    enqueue(this);
                }
            }
        }

        /** Whether a round of this job is running on the calling thread. */
        public boolean isCurrent() {
            synchronized (this) {
                return runner == Thread.currentThread();
            }
        }

        /**
         * No round starts after this; waits up to {@code wait} for a round in flight (not when
         * called from inside it), then interrupts it and waits one second more.
         *
         * @return true if no round of this job runs any more
         */
        public boolean cancel(Duration wait) {
            state.set(CANCELLED);
            synchronized (lock) {
                jobs.remove(this);
            }
            synchronized (this) {
                if (runner == Thread.currentThread()) {
                    return true;
                }
                if (!awaitNoRunner(wait.toNanos())) {
                    runner.interrupt();
                    return awaitNoRunner(Duration.ofSeconds(1).toNanos());
                }
                return true;
            }
        }

        private boolean awaitNoRunner(long nanos) {
            long deadline = System.nanoTime() + nanos;
            boolean interrupted = false;
            try {
                while (runner != null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Runs rounds on the calling worker until idle, cancelled, or its fair share is used up. */
        private void serve(Worker w) {
            synchronized (this) {
                if (state.get() == CANCELLED) {
                    return;
                }
                runner = w.thread;
            }
            try {
                int rounds = 0;
                while (true) {
                    pending = false;
                    w.roundStarted = System.nanoTime();
                    boolean progress;
                    try {
                        progress = round.run();
                    } catch (RuntimeException | Error e) {
                        // a bug in one job must not kill the worker that serves the others
                        LOG.log(Level.ERROR, WorkerPool.this.name + ": a round of " + name + " failed", e);
                        progress = false;
                    } finally {
                        w.roundStarted = 0;
                    }
                    if (state.get() == CANCELLED) {
                        return;
                    }
                    if (progress || pending) {
                        if (++rounds >= FAIR_ROUNDS && queued > 0 && state.compareAndSet(RUNNING, QUEUED)) {
                            synchronized (lock) {
                                enqueue(this);
                            }
                            return;
                        }
                        continue;
                    }
                    // idle, then look once more: a schedule that saw RUNNING left only the flag
                    if (!state.compareAndSet(RUNNING, IDLE) || !pending || !state.compareAndSet(IDLE, RUNNING)) {
                        return;
                    }
                }
            } finally {
                synchronized (this) {
                    runner = null;
                    notifyAll();
                }
                // an interrupt meant for this job's round must not reach the next job's
                Thread.interrupted();
            }
        }

        @Override
        public String toString() {
            return "job " + name + " of " + WorkerPool.this.name;
        }
    }

    // ---------------------------------------------------------------- workers

    private final class Worker implements Runnable {
        final Thread thread;
        final boolean spare;
        /** System.nanoTime() at the start of the round running now, 0 between rounds. */
        volatile long roundStarted;
        /** Registered in the idle stack; written under the lock, cleared by the schedule that hands it work. */
        volatile boolean parked;
        Worker nextIdle;

        Worker(boolean spare) {
            this.spare = spare;
            this.thread = Thread.ofPlatform().daemon().name(name + "-" + started++).unstarted(this);
        }

        @Override
        public void run() {
            while (true) {
                Job j;
                synchronized (lock) {
                    if (closed) {
                        workers.remove(this);
                        return;
                    }
                    j = dequeue();
                    if (j == null && !parked) {
                        parked = true;
                        nextIdle = idle;
                        idle = this;
                    } else if (j != null && parked) {
                        removeIdle(this); // took work itself while still listed as idle
                    }
                }
                if (j != null) {
                    if (j.state.compareAndSet(QUEUED, RUNNING)) {
                        j.serve(this);
                    }
                    continue;
                }
                if (!waitForWork()) {
                    return;
                }
            }
        }

        /** Spins, then parks, until a schedule takes this worker off the idle stack; false if a spare retires. */
        private boolean waitForWork() {
            long start = System.nanoTime();
            // the clock is read every 64 spins: reading it each time costs more than the spin
            for (int i = 1; isParked() && queued == 0; i++) {
                Thread.onSpinWait();
                if ((i & 63) == 0 && System.nanoTime() - start >= spinNanos) {
                    break;
                }
            }
            while (isParked() && !closed) {
                if (queued > 0) {
                    return true; // work arrived for another idle worker: take it if it is still there
                }
                if (!spare) {
                    LockSupport.park(this);
                    continue;
                }
                LockSupport.parkNanos(this, SPARE_IDLE.toNanos());
                synchronized (lock) {
                    if (parked && System.nanoTime() - start >= SPARE_IDLE.toNanos()) {
                        removeIdle(this);
                        workers.remove(this);
                        return false;
                    }
                }
            }
            return true;
        }

        private boolean isParked() {
            return parked;
        }
    }

    private void removeIdle(Worker w) {
        Worker prev = null;
        for (Worker x = idle; x != null; prev = x, x = x.nextIdle) {
            if (x == w) {
                if (prev == null) {
                    idle = x.nextIdle;
                } else {
                    prev.nextIdle = x.nextIdle;
                }
                w.nextIdle = null;
                w.parked = false;
                return;
            }
        }
    }
}
