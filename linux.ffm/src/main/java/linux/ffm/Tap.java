package linux.ffm;

import static linux.ffm.internal.Native.INT;
import static linux.ffm.internal.Native.LONG;
import static linux.ffm.internal.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import linux.ffm.internal.Native;

/**
 * A TAP interface (Documentation/networking/tuntap.rst): a descriptor on the clone device
 * {@code /dev/net/tun} attached with TUNSETIFF to an Ethernet interface of the kernel. Each
 * write(2) is one frame the interface receives; each read(2) is one frame the kernel sent out of
 * it. Opened IFF_TAP | IFF_NO_PI (bare frames, no packet-information prefix) and non-blocking.
 *
 * <p>The interface lives in the network namespace of the thread that opened the clone device
 * (see {@link Netns#enter}); it is deleted when its last descriptor closes unless it was made
 * persistent (TUNSETPERSIST, e.g. by {@code ip tuntap add}), in which case this attaches to it.
 *
 * <p>{@link #read} and {@link #write} allocate nothing: an empty queue is a return value, not an
 * exception.
 */
public final class Tap implements AutoCloseable {

    /** The clone device. */
    public static final Path CLONE_DEVICE = Path.of("/dev/net/tun");
    /** Interface names are at most IFNAMSIZ - 1 bytes (include/uapi/linux/if.h). */
    public static final int IFNAMSIZ = 16;

    /** TUNSETIFF = _IOW('T', 202, int) (include/uapi/linux/if_tun.h). */
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    /** struct ifreq: char ifr_name[IFNAMSIZ], then a union whose short ifr_flags is at 16; 40 bytes. */
    private static final long IFREQ_SIZE = 40;
    private static final long IFR_FLAGS = 16;

    private static final MethodHandle READ = Native.errnoCall("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle WRITE = Native.errnoCall("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));

    private final Fd fd;
    private final String name;

    private Tap(Fd fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /**
     * Why {@code name} cannot name an interface (the kernel's dev_valid_name), or null if it can:
     * 1 to 15 bytes, not {@code .} or {@code ..}, no {@code /}, {@code :} or white space.
     */
    public static String invalidName(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            return "interface name is empty";
        }
        if (bytes >= IFNAMSIZ) {
            return "interface name '" + name + "' is " + bytes + " bytes, longer than " + (IFNAMSIZ - 1) + " (IFNAMSIZ)";
        }
        if (name.equals(".") || name.equals("..")) {
            return "interface name '" + name + "' is reserved";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
                return "interface name '" + name + "' holds '" + c + "' (no '/', ':' or white space)";
            }
        }
        return null;
    }

    /**
     * Opens {@code cloneDevice} and attaches to the TAP interface {@code name}, creating it if it
     * does not exist, in the calling thread's network namespace.
     *
     * @throws IllegalArgumentException if {@link #invalidName} refuses the name
     * @throws LinuxException from open (ENOENT: no clone device, the tun module is not loaded) or
     *     from ioctl TUNSETIFF (EPERM: no CAP_NET_ADMIN; EBUSY: another descriptor holds the
     *     interface; EINVAL: an interface of that name exists and is not a TAP like this one)
     */
    public static Tap open(Path cloneDevice, String name) throws LinuxException {
        String invalid = invalidName(name);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid);
        }
        Fd fd = Files.open(cloneDevice, Files.O_RDWR | Files.O_NONBLOCK, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(IFREQ_SIZE, 8);
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, n.length);
            ifr.set(ValueLayout.JAVA_SHORT, IFR_FLAGS, (short) (IFF_TAP | IFF_NO_PI));
            try {
                Files.ioctl(fd, TUNSETIFF, ifr);
            } catch (LinuxException e) {
                throw new LinuxException("ioctl TUNSETIFF", e.errno(), name);
            }
            // the kernel writes back the name it gave (the same, for a name without %d)
            return new Tap(fd, ifr.getString(0, StandardCharsets.UTF_8));
        } catch (LinuxException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** The interface's name. */
    public String name() {
        return name;
    }

    /** The descriptor, to poll it. */
    public Fd fd() {
        return fd;
    }

    /**
     * Reads the next frame the kernel sent into {@code buf} (native memory). Returns its length, or -1 if none is
     * waiting. A frame longer than {@code buf} is cut to it: give a buffer of the interface's MTU
     * plus 14, or 65549 bytes to hold any.
     *
     * @throws LinuxException on any error but EAGAIN
     */
    public int read(MemorySegment buf) throws LinuxException {
        int n = fd.acquire("read");
        try {
            long r = (long) READ.invokeExact(Native.errnoState(), n, buf, buf.byteSize());
            if (r < 0 && Native.errno() == Errno.EAGAIN) {
                return -1;
            }
            return (int) Files.check("read", r, this);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /**
     * Hands one frame, the first {@code length} bytes of {@code frame}, to the interface as
     * received ({@code frame} must be native memory). Returns 0 if the kernel took it (its own
     * counters say what became of it), else the errno it refused it with (EIO: the interface is
     * down; EINVAL: shorter than an Ethernet header): a refused frame is the caller's to count.
     *
     * @throws LinuxException EBADF if this was closed
     */
    public int write(MemorySegment frame, long length) throws LinuxException {
        int n = fd.acquire("write");
        try {
            long r = (long) WRITE.invokeExact(Native.errnoState(), n, frame, length);
            return r < 0 ? Native.errno() : 0;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
    }

    /** Closes the descriptor: a TAP that is not persistent goes away with it. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "tap " + name + " (" + fd + ")";
    }
}
