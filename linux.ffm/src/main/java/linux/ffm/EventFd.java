package linux.ffm;

import static linux.ffm.internal.Native.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import linux.ffm.internal.Native;

/**
 * An eventfd(2): a 64-bit counter in the kernel that write adds to and read takes (and zeroes),
 * the doorbell of vhost-user kicks and calls. Reads and writes allocate nothing.
 */
public final class EventFd implements AutoCloseable {

    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_NONBLOCK = 04000;
    public static final int EFD_CLOEXEC = 02000000;

    private static final MethodHandle EVENTFD = Native.errnoCall("eventfd", FunctionDescriptor.of(INT, INT, INT));
    private static final ThreadLocal<MemorySegment> WORD = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(8, 8));

    private final Fd fd;

    private EventFd(Fd fd) {
        this.fd = fd;
    }

    /** A new eventfd with counter {@code initial}, close-on-exec, non-blocking if asked. */
    public static EventFd create(int initial, boolean nonBlocking) throws LinuxException {
        try {
            int r = (int) EVENTFD.invokeExact(Native.errnoState(), initial, EFD_CLOEXEC | (nonBlocking ? EFD_NONBLOCK : 0));
            return new EventFd(Fd.adopt(Files.check("eventfd", r, null)));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** An eventfd another process made and sent (a kick or call fd); this object owns it now. */
    public static EventFd adopt(Fd fd) {
        return new EventFd(fd);
    }

    /** The descriptor, to poll it or send it. */
    public Fd fd() {
        return fd;
    }

    /**
     * Takes the counter (read(2) of 8 bytes). On a non-blocking eventfd whose counter is 0, returns
     * 0 instead of failing with EAGAIN; a blocking one waits.
     */
    public long read() throws LinuxException {
        MemorySegment w = WORD.get();
        try {
            int n = Files.read(fd, w);
            if (n != 8) {
                throw new LinuxException("read", Errno.EIO, fd + ": eventfd read " + n + " bytes");
            }
            return w.get(ValueLayout.JAVA_LONG, 0);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EAGAIN) {
                return 0;
            }
            throw e;
        }
    }

    /** Adds {@code value} to the counter (write(2) of 8 bytes). */
    public void write(long value) throws LinuxException {
        MemorySegment w = WORD.get();
        w.set(ValueLayout.JAVA_LONG, 0, value);
        int n = Files.write(fd, w);
        if (n != 8) {
            throw new LinuxException("write", Errno.EIO, fd + ": eventfd wrote " + n + " bytes");
        }
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "eventfd " + fd;
    }
}
