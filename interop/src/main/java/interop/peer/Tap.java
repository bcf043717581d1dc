package interop.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import linux.ffm.Errno;
import linux.ffm.Fd;
import linux.ffm.Files;
import linux.ffm.LinuxException;
import linux.ffm.Namespaces;

/**
 * This process's end of a TAP device that lives in a test's network namespace: frames written
 * here arrive at that namespace's kernel as received on the device, frames its kernel sends out
 * of the device are read here.
 *
 * <p>Opening attaches to the persistent device by name ({@code TUNSETIFF} on {@code /dev/net/tun}),
 * which finds it in the calling thread's network namespace. So a fresh platform thread enters the
 * test's namespace ({@code setns(2)} moves only that thread), opens and attaches, and ends; the
 * descriptor then works from any thread. The JVM's other threads never leave the root namespace.
 * The calls are linux.ffm's.
 */
public final class Tap implements AutoCloseable {

    /** _IOW('T', 202, int) */
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    /** struct ifreq: char ifr_name[IFNAMSIZ = 16], then a union whose member here is short ifr_flags. */
    private static final long IFREQ_SIZE = 40;
    private static final long IFR_FLAGS = 16;
    private static final int IFNAMSIZ = 16;

    private final String device;
    private final Fd fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(65536);

    private Tap(String device, Fd fd) {
        this.device = device;
        this.fd = fd;
    }

    /** Attaches to the TAP device {@code device} inside {@code ns} (made by {@link Netns#addTap}). */
    public static Tap open(Netns ns, String device) {
        if (device.getBytes(StandardCharsets.US_ASCII).length >= IFNAMSIZ) {
            throw new IllegalArgumentException("a device name has at most 15 characters: " + device);
        }
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread opener = Thread.ofPlatform().name("tap-open-" + device).start(() -> {
            try {
                outcome.set(attachInside(ns, device));
            } catch (LinuxException | RuntimeException e) {
                outcome.set(e);
            }
        });
        try {
            opener.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while opening TAP " + device, e);
        }
        Object result = outcome.get();
        if (result instanceof Fd fd) {
            return new Tap(device, fd);
        }
        String why = result instanceof Exception e ? e.getMessage() : "the opening thread ended without a result";
        throw new PeerException("cannot open TAP " + device + " in namespace " + ns.name() + ": " + why,
                result instanceof Exception e ? e : null);
    }

    /** On a thread of its own, which ends in the namespace it entered. */
    private static Fd attachInside(Netns ns, String device) throws LinuxException {
        try (Fd nsFd = Files.open(ns.path(), Files.O_RDONLY, 0)) {
            Namespaces.setns(nsFd, Namespaces.CLONE_NEWNET);
        }
        Fd tun = Files.open(Path.of("/dev/net/tun"), Files.O_RDWR | Files.O_NONBLOCK, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(IFREQ_SIZE);
            ifr.setString(0, device, StandardCharsets.US_ASCII);
            ifr.set(ValueLayout.JAVA_SHORT, IFR_FLAGS, (short) (IFF_TAP | IFF_NO_PI));
            Files.ioctl(tun, TUNSETIFF, ifr);
            return tun;
        } catch (LinuxException | RuntimeException e) {
            tun.close();
            throw e;
        }
    }

    public String device() {
        return device;
    }

    /** Sends one frame (Ethernet header on, no FCS) into the namespace. */
    public synchronized void write(byte[] frame) {
        MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
        try {
            int n = Files.write(fd, buffer.asSlice(0, frame.length));
            if (n != frame.length) {
                throw new PeerException("short write to TAP " + device + ": " + n + " of " + frame.length + " bytes");
            }
        } catch (LinuxException e) {
            throw new PeerException("write to TAP " + device + " failed: " + e.getMessage(), e);
        }
    }

    /** The next frame the namespace's kernel sent out of the device, or null if none came in time. */
    public synchronized byte[] read(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                int n = Files.read(fd, buffer);
                return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            } catch (LinuxException e) {
                if (e.errno() != Errno.EAGAIN) {
                    throw new PeerException("read from TAP " + device + " failed: " + e.getMessage(), e);
                }
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
        fd.close();
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
