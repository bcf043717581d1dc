package linux.ffm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An open file descriptor that is closed exactly once.
 *
 * <p>Every call of this package holds the descriptor ({@link #acquire}) for the duration of the
 * syscall, and {@link #close()} closes the number only when no call holds it: a close racing with a
 * read on another thread never lets that read (or a write to an eventfd) reach whatever file
 * reuses the number. After close, new calls refuse with {@code EBADF}; a second close does nothing.
 */
public final class Fd implements AutoCloseable {

    /** Bit 62 set: closed; the low bits count the calls in flight. */
    private static final long CLOSED = 1L << 62;

    private final int number;
    private final AtomicLong state = new AtomicLong();

    private Fd(int number) {
        this.number = number;
    }

    /**
     * Takes ownership of a descriptor number a call returned.
     *
     * @throws IllegalArgumentException if negative
     */
    public static Fd adopt(int number) {
        if (number < 0) {
            throw new IllegalArgumentException("fd " + number);
        }
        return new Fd(number);
    }

    /** The number, for messages and listings; use {@link #acquire} to call with it. */
    public int number() {
        return number;
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return (state.get() & CLOSED) == 0;
    }

    /**
     * Holds the descriptor for one call and returns its number; pair with {@link #release()}.
     *
     * @throws LinuxException EBADF if it was closed
     */
    public int acquire(String call) throws LinuxException {
        long s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) {
                throw new LinuxException(call, Errno.EBADF, "fd " + number + " was closed");
            }
        } while (!state.compareAndSet(s, s + 1));
        return number;
    }

    /** Ends a call begun with {@link #acquire}; the last one out after a close closes the number. */
    public void release() {
        long s = state.decrementAndGet();
        if (s == CLOSED) {
            closeNumber();
        }
    }

    /** Closes the descriptor once no call holds it. Idempotent. */
    @Override
    public void close() {
        long s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
        } while (!state.compareAndSet(s, s | CLOSED));
        if (s == 0) {
            closeNumber();
        }
    }

    private void closeNumber() {
        // close(2) releases the number even when it reports EINTR or EIO: never retried
        Files.closeNumber(number);
    }

    @Override
    public String toString() {
        return "fd " + number + (isOpen() ? "" : " (closed)");
    }
}
