package linux.ffm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcall handles to libc with errno captured: every handle takes the capture segment of
 * {@link #errnoState()} as its first argument (Linker.Option.captureCallState), so errno is read
 * from the call itself, never from whatever a later call of the JVM left behind.
 *
 * <p>The capture segment is per thread and reused (a syscall on a hot path allocates nothing).
 */
public final class Native {
    private Native() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    /** {@code int}. */
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    /** {@code long}, {@code size_t}, {@code ssize_t}, {@code off_t} (LP64). */
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    /** A pointer. */
    public static final ValueLayout PTR = ValueLayout.ADDRESS;

    /** The calling thread's capture segment, to pass first to a handle of {@link #errnoCall}. */
    public static MemorySegment errnoState() {
        return STATE.get();
    }

    /** errno as the last call on this thread that was given {@link #errnoState()} left it. */
    public static int errno() {
        return (int) ERRNO.get(STATE.get(), 0L);
    }

    /** A handle to {@code name} that captures errno; its first parameter is the capture segment. */
    public static MethodHandle errnoCall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(name), fd, Linker.Option.captureCallState("errno"));
    }

    /** As {@link #errnoCall}, for a variadic function whose variadic arguments start at {@code firstVariadic}. */
    public static MethodHandle errnoCallVariadic(String name, FunctionDescriptor fd, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), fd, Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** Whether structures follow the x86-64 ABI (epoll_event is packed there, and only there). */
    public static boolean x86_64() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /** Rethrows what a downcall handle threw: it declares Throwable, but a downcall throws only errors. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
