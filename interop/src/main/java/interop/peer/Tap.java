package interop.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This process's end of a TAP device that lives in a test's network namespace: frames written
 * here arrive at that namespace's kernel as received on the device, frames its kernel sends out
 * of the device are read here.
 *
 * <p>Opening attaches to the persistent device by name ({@code TUNSETIFF} on {@code /dev/net/tun}),
 * which finds it in the calling thread's network namespace. So a fresh platform thread enters the
 * test's namespace ({@code setns(2)} affects only that thread), opens and attaches, and ends; the
 * file descriptor then works from any thread. The JVM's own threads never leave the root namespace.
 * Native calls go through the FFM API.
 */
public final class Tap implements AutoCloseable {

    private static final int O_RDONLY = 0x0;
    private static final int O_RDWR = 0x2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    /** _IOW('T', 202, int) */
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final int EAGAIN = 11;
    /** struct ifreq: char ifr_name[16], then a union whose first member here is short ifr_flags. */
    private static final long IFREQ_SIZE = 40;
    private static final long IFR_FLAGS = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle IOCTL = downcall("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private final String device;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(65536);
    private final MemorySegment state = arena.allocate(CALL_STATE);
    private int fd;

    private Tap(String device, int fd) {
        this.device = device;
        this.fd = fd;
    }

    /** Attaches to the TAP device {@code device} inside {@code ns} (made by {@link Netns#addTap}). */
    public static Tap open(Netns ns, String device) {
        if (device.getBytes(StandardCharsets.US_ASCII).length >= 16) {
            throw new IllegalArgumentException("a device name has at most 15 characters: " + device);
        }
        AtomicReference<Object> result = new AtomicReference<>();
        Thread opener = Thread.ofPlatform().name("tap-open-" + device).start(() -> {
            try {
                result.set(openInside(ns, device));
            } catch (Throwable t) {
                result.set(t);
            }
        });
        try {
            opener.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while opening " + device, e);
        }
        Object outcome = result.get();
        if (outcome instanceof Integer fd) {
            return new Tap(device, fd);
        }
        if (outcome instanceof PeerException e) {
            throw e;
        }
        throw new PeerException("cannot open TAP " + device + " in " + ns.name() + ": " + outcome,
                outcome instanceof Throwable t ? t : null);
    }

    /** Runs on a thread of its own that never returns to the root namespace: it ends. */
    private static int openInside(Netns ns, String device) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int nsFd = (int) OPEN.invokeExact(st, a.allocateFrom(ns.path().toString()), O_RDONLY | O_CLOEXEC);
            if (nsFd < 0) {
                throw errno(st, "open " + ns.path());
            }
            try {
                if ((int) SETNS.invokeExact(st, nsFd, CLONE_NEWNET) < 0) {
                    throw errno(st, "setns " + ns.path());
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(st, nsFd);
            }
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom("/dev/net/tun"), O_RDWR | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                throw errno(st, "open /dev/net/tun");
            }
            MemorySegment ifr = a.allocate(IFREQ_SIZE);
            ifr.setString(0, device, StandardCharsets.US_ASCII);
            ifr.set(ValueLayout.JAVA_SHORT, IFR_FLAGS, (short) (IFF_TAP | IFF_NO_PI));
            if ((int) IOCTL.invokeExact(st, fd, TUNSETIFF, ifr) < 0) {
                PeerException e = errno(st, "TUNSETIFF " + device + " in " + ns.name());
                int ignored = (int) CLOSE.invokeExact(st, fd);
                throw e;
            }
            return fd;
        }
    }

    public String device() {
        return device;
    }

    /** Sends one frame (Ethernet header on, no FCS) into the namespace. */
    public synchronized void write(byte[] frame) {
        MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
        long n;
        try {
            n = (long) WRITE.invokeExact(state, fd, buffer, (long) frame.length);
        } catch (Throwable t) {
            throw new PeerException("write to TAP " + device + " failed", t);
        }
        if (n != frame.length) {
            throw n < 0 ? errno(state, "write to TAP " + device) : new PeerException("short write to TAP " + device);
        }
    }

    /** The next frame the namespace's kernel sent out of the device, or null if none came in time. */
    public synchronized byte[] read(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long n;
            try {
                n = (long) READ.invokeExact(state, fd, buffer, buffer.byteSize());
            } catch (Throwable t) {
                throw new PeerException("read from TAP " + device + " failed", t);
            }
            if (n >= 0) {
                return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            }
            int errno = (int) ERRNO.get(state, 0L);
            if (errno != EAGAIN) {
                throw errno(state, "read from TAP " + device);
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            try {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            } catch (Throwable t) {
                throw new PeerException("close of TAP " + device + " failed", t);
            } finally {
                fd = -1;
                arena.close();
            }
        }
    }

    private static PeerException errno(MemorySegment state, String what) {
        int errno = (int) ERRNO.get(state, 0L);
        return new PeerException(what + " failed: errno " + errno);
    }

    @SuppressWarnings("restricted") // native access is the point; the test JVMs run with --enable-native-access
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }
}
