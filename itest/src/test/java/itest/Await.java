package itest;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded waits: every wait in the integration tests has a deadline and says what it waited for. */
final class Await {
    private Await() {}

    static final Duration DEFAULT = Duration.ofSeconds(10);

    /** Polls {@code condition} until it is true, failing with {@code what} and the last value seen. */
    static void until(String what, Supplier<?> observed, Supplier<Boolean> condition) {
        until(what, observed, condition, DEFAULT);
    }

    static void until(String what, Supplier<?> observed, Supplier<Boolean> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last seen: " + observed.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
