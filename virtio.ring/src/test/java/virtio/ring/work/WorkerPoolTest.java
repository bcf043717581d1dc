package virtio.ring.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The worker pool's promises: a schedule is never lost, a job never runs on two workers at once,
 * idle jobs hold no thread, a busy job lets others in, a blocked round gets a spare worker, cancel
 * waits for the round in flight, a failing round does not kill its worker, and scheduling
 * allocates nothing. Waits are bounded; nothing is timed.
 */
class WorkerPoolTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /** A job that takes whatever was posted, as a device takes what a kick announced. */
    static final class Consumer {
        final AtomicLong posted = new AtomicLong();
        final AtomicLong taken = new AtomicLong();
        final AtomicBoolean inRound = new AtomicBoolean();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicLong rounds = new AtomicLong();

        boolean round() {
            if (!inRound.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            try {
                rounds.incrementAndGet();
                long p = posted.get();
                long t = taken.get();
                if (p == t) {
                    return false;
                }
                // takes at most 7 per round, so rounds also end with work left
                taken.set(Math.min(p, t + 7));
                return true;
            } finally {
                inRound.set(false);
            }
        }
    }

    @Test
    void everythingPostedBeforeAScheduleIsTakenAndNoJobRunsOnTwoWorkersAtOnce() throws Exception {
        try (WorkerPool pool = new WorkerPool("test", 3)) {
            List<Consumer> consumers = new ArrayList<>();
            List<WorkerPool.Job> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Consumer c = new Consumer();
                consumers.add(c);
                jobs.add(pool.job("c" + i, c::round));
            }
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                producers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        int k = (i * 7 + seed) % consumers.size();
                        consumers.get(k).posted.incrementAndGet();
                        jobs.get(k).schedule();
                    }
                }));
            }
            for (Thread t : producers) {
                t.join();
            }
            await(() -> consumers.stream().allMatch(c -> c.taken.get() == c.posted.get()), "every post taken");
            assertThat(consumers).allSatisfy(c -> assertThat(c.overlaps.get()).isZero());
            assertThat(consumers.stream().mapToLong(c -> c.posted.get()).sum()).isEqualTo(200_000);
        }
    }

    @Test
    void aThousandIdleJobsHoldNoThreadOfTheirOwn() throws Exception {
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        try (WorkerPool pool = new WorkerPool("idle", 2)) {
            List<Consumer> consumers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Consumer c = new Consumer();
                consumers.add(c);
                c.posted.set(1);
                pool.job("d" + i, c::round).schedule();
            }
            await(() -> consumers.stream().allMatch(c -> c.taken.get() == 1), "every job ran");
            assertThat(pool.workers()).isEqualTo(2);
            assertThat(pool.jobNames()).hasSize(1000);
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThanOrEqualTo(before + 2);
        }
    }

    @Test
    void aJobThatAlwaysHasWorkLetsAJobQueuedBehindItRun() throws Exception {
        try (WorkerPool pool = new WorkerPool("fair", 1, 1, Duration.ZERO)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong busyRounds = new AtomicLong();
            WorkerPool.Job busy = pool.job("busy", () -> {
                busyRounds.incrementAndGet();
                return !stop.get();
            });
            busy.schedule();
            await(() -> busyRounds.get() > 100, "the busy job running");
            CountDownLatch ran = new CountDownLatch(1);
            pool.job("other", () -> {
                ran.countDown();
                return false;
            }).schedule();
            assertThat(ran.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the other job got the only worker").isTrue();
            stop.set(true);
        }
    }

    @Test
    void aRoundThatBlocksGetsASpareWorkerForTheOthersAndTheSpareEndsWhenIdle() throws Exception {
        try (WorkerPool pool = new WorkerPool("spare", 1, 3, Duration.ZERO)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            pool.job("blocker", () -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }).schedule();
            assertThat(blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            Thread.sleep(WorkerPool.STUCK.toMillis() + 50);
            CountDownLatch ran = new CountDownLatch(1);
            pool.job("other", () -> {
                ran.countDown();
                return false;
            }).schedule();
            assertThat(ran.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("served by a spare").isTrue();
            assertThat(pool.workers()).isEqualTo(2);
            release.countDown();
            await(() -> pool.workers() == 1, "the spare retired");
        }
    }

    @Test
    void cancelWaitsForTheRoundInFlightAndNothingRunsAfterIt() throws Exception {
        try (WorkerPool pool = new WorkerPool("cancel", 2)) {
            CountDownLatch inRound = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            AtomicInteger rounds = new AtomicInteger();
            WorkerPool.Job job = pool.job("slow", () -> {
                rounds.incrementAndGet();
                inRound.countDown();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.set(true);
                return false;
            });
            job.schedule();
            assertThat(inRound.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(job.cancel(WAIT)).isTrue();

            assertThat(finished.get()).as("cancel returned only after the round").isTrue();
            job.schedule();
            Thread.sleep(50);
            assertThat(rounds.get()).isEqualTo(1);
            assertThat(pool.jobNames()).doesNotContain("slow");
        }
    }

    @Test
    void aRoundThatDoesNotReturnIsInterruptedAndOneThatIgnoresItIsReported() throws Exception {
        try (WorkerPool pool = new WorkerPool("stuck", 1, 1, Duration.ZERO)) {
            CountDownLatch in = new CountDownLatch(2);
            AtomicBoolean sawInterrupt = new AtomicBoolean();
            WorkerPool.Job waits = pool.job("waits", () -> {
                in.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    sawInterrupt.set(true);
                }
                return false;
            });
            waits.schedule();
            await(() -> in.getCount() == 1, "in the round");
            assertThat(waits.cancel(Duration.ofMillis(50))).isTrue();
            assertThat(sawInterrupt.get()).isTrue();

            AtomicBoolean stop = new AtomicBoolean();
            WorkerPool.Job deaf = pool.job("deaf", () -> {
                in.countDown();
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
                return false;
            });
            deaf.schedule();
            assertThat(in.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(deaf.cancel(Duration.ofMillis(50))).as("still running").isFalse();
            stop.set(true);
            // the interrupt aimed at the deaf round does not reach the next job's round
            CountDownLatch next = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean(true);
            pool.job("next", () -> {
                interrupted.set(Thread.currentThread().isInterrupted());
                next.countDown();
                return false;
            }).schedule();
            assertThat(next.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(interrupted.get()).isFalse();
        }
    }

    @Test
    void cancelFromInsideTheJobsOwnRoundDoesNotWaitForItself() throws Exception {
        try (WorkerPool pool = new WorkerPool("self", 1)) {
            AtomicBoolean result = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(1);
            WorkerPool.Job[] self = new WorkerPool.Job[1];
            self[0] = pool.job("self", () -> {
                assertThat(self[0].isCurrent()).isTrue();
                result.set(self[0].cancel(Duration.ofSeconds(30)));
                done.countDown();
                return true; // would run again if not cancelled
            });
            self[0].schedule();
            assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(result.get()).isTrue();
            assertThat(self[0].isCurrent()).isFalse();
        }
    }

    @Test
    void aRoundThatThrowsIsLoggedAndTheJobAndItsWorkerGoOn() throws Exception {
        try (WorkerPool pool = new WorkerPool("throws", 1)) {
            AtomicInteger rounds = new AtomicInteger();
            WorkerPool.Job job = pool.job("bad", () -> {
                if (rounds.incrementAndGet() == 1) {
                    throw new IllegalStateException("a bug");
                }
                return false;
            });
            job.schedule();
            await(() -> rounds.get() == 1, "the failing round");
            Thread.sleep(20);
            job.schedule();
            await(() -> rounds.get() == 2, "a round after the failure");
        }
    }

    @Test
    void schedulingAJobAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (WorkerPool pool = new WorkerPool("alloc", 1)) {
            Consumer c = new Consumer();
            WorkerPool.Job job = pool.job("j", c::round);
            for (int i = 0; i < 200_000; i++) {
                c.posted.incrementAndGet();
                job.schedule();
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                c.posted.incrementAndGet();
                job.schedule();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // one allocation per schedule would be >= 1.6 MB
            assertThat(allocated).isLessThan(10_000);
            await(() -> c.taken.get() == c.posted.get(), "all taken");
        }
    }

    @Test
    void refusesNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WorkerPool("x", 0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WorkerPool("x", 2, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        WorkerPool closed = new WorkerPool("closed", 1);
        closed.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> closed.job("late", () -> false))
                .isInstanceOf(IllegalStateException.class);
    }
}
