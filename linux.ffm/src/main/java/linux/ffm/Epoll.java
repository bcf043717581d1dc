package linux.ffm;

import static linux.ffm.internal.Native.INT;
import static linux.ffm.internal.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import linux.ffm.internal.Native;

/**
 * An epoll(7) instance: descriptors registered with a 64-bit token, {@link #await} fills an
 * {@link Events} buffer with the ready ones. Waiting allocates nothing.
 */
public final class Epoll implements AutoCloseable {

    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;

    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int EPOLL_CLOEXEC = 02000000;

    /** struct epoll_event is packed (12 bytes) on x86-64 only; elsewhere the u64 is aligned (16 bytes). */
    static final long EVENT_SIZE = Native.x86_64() ? 12 : 16;
    static final long DATA_OFFSET = Native.x86_64() ? 4 : 8;
    private static final ValueLayout.OfLong DATA = ValueLayout.JAVA_LONG_UNALIGNED;

    private static final MethodHandle CREATE = Native.errnoCall("epoll_create1", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle CTL = Native.errnoCall("epoll_ctl", FunctionDescriptor.of(INT, INT, INT, INT, PTR));
    private static final MethodHandle WAIT = Native.errnoCall("epoll_wait", FunctionDescriptor.of(INT, INT, PTR, INT, INT));

    private final Fd fd;
    private final MemorySegment ctlEvent = Arena.ofAuto().allocate(16, 8);

    private Epoll(Fd fd) {
        this.fd = fd;
    }

    /** epoll_create1(EPOLL_CLOEXEC). */
    public static Epoll create() throws LinuxException {
        try {
            int r = (int) CREATE.invokeExact(Native.errnoState(), EPOLL_CLOEXEC);
            return new Epoll(Fd.adopt(Files.check("epoll_create1", r, null)));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Registers {@code target} for {@code events}, reported with {@code token}. */
    public synchronized void add(Fd target, int events, long token) throws LinuxException {
        ctl(EPOLL_CTL_ADD, target, events, token);
    }

    /** Changes the events and token of a registered descriptor. */
    public synchronized void modify(Fd target, int events, long token) throws LinuxException {
        ctl(EPOLL_CTL_MOD, target, events, token);
    }

    /** Unregisters a descriptor (do it before closing one that is shared with another process). */
    public synchronized void remove(Fd target) throws LinuxException {
        ctl(EPOLL_CTL_DEL, target, 0, 0);
    }

    private void ctl(int op, Fd target, int events, long token) throws LinuxException {
        ctlEvent.set(ValueLayout.JAVA_INT, 0, events);
        ctlEvent.set(DATA, DATA_OFFSET, token);
        int ep = fd.acquire("epoll_ctl");
        try {
            int t = target.acquire("epoll_ctl");
            try {
                int r = (int) CTL.invokeExact(Native.errnoState(), ep, op, t, ctlEvent);
                Files.check("epoll_ctl", r, target);
            } finally {
                target.release();
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /**
     * epoll_wait(2): waits up to {@code timeoutMillis} (-1: for ever) and fills {@code into}.
     * Returns how many are ready; 0 on time-out or when a signal interrupted the wait (EINTR).
     */
    public int await(Events into, int timeoutMillis) throws LinuxException {
        int ep = fd.acquire("epoll_wait");
        try {
            int r = (int) WAIT.invokeExact(Native.errnoState(), ep, into.buffer, into.capacity, timeoutMillis);
            if (r < 0 && Native.errno() == Errno.EINTR) {
                into.count = 0;
                return 0;
            }
            into.count = Files.check("epoll_wait", r, fd);
            return into.count;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    @Override
    public void close() {
        fd.close();
    }

    /** A reusable buffer of ready events. Not thread-safe. */
    public static final class Events {
        private final MemorySegment buffer;
        private final int capacity;
        private int count;

        /** Room for {@code capacity} events per wait. */
        public Events(int capacity) {
            this.capacity = capacity;
            this.buffer = Arena.ofAuto().allocate(EVENT_SIZE * capacity, 8);
        }

        /** Events of the last wait. */
        public int count() {
            return count;
        }

        /** The EPOLL* bits of event {@code i}. */
        public int events(int i) {
            return buffer.get(ValueLayout.JAVA_INT_UNALIGNED, i * EVENT_SIZE);
        }

        /** The token of event {@code i}. */
        public long token(int i) {
            return buffer.get(DATA, i * EVENT_SIZE + DATA_OFFSET);
        }
    }
}
