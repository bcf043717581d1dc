package interop.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import linux.ffm.LinuxException;

/**
 * This process's end of a TAP device that lives in a test's network namespace: frames written
 * here arrive at that namespace's kernel as received on the device, frames its kernel sends out
 * of the device are read here.
 *
 * <p>Opening attaches to the persistent device by name ({@code TUNSETIFF} on {@code /dev/net/tun}),
 * which finds it in the calling thread's network namespace. So a fresh platform thread enters the
 * test's namespace ({@code setns(2)} moves only that thread), opens and attaches, and ends; the
 * descriptor then works from any thread. The JVM's other threads never leave the root namespace.
 * The calls are linux.ffm's ({@link linux.ffm.Tap}, {@link linux.ffm.Netns#enter}).
 */
public final class Tap implements AutoCloseable {

    private final String device;
    private final linux.ffm.Tap tap;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(65536);

    private Tap(String device, linux.ffm.Tap tap) {
        this.device = device;
        this.tap = tap;
    }

    /** Attaches to the TAP device {@code device} inside {@code ns} (made by {@link Netns#addTap}). */
    public static Tap open(Netns ns, String device) {
        String invalid = linux.ffm.Tap.invalidName(device);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid);
        }
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread opener = Thread.ofPlatform().name("tap-open-" + device).start(() -> {
            try {
                // on a thread of its own, which ends in the namespace it entered
                linux.ffm.Netns.enter(ns.path());
                outcome.set(linux.ffm.Tap.open(linux.ffm.Tap.CLONE_DEVICE, device));
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
        if (result instanceof linux.ffm.Tap t) {
            return new Tap(device, t);
        }
        String why = result instanceof Exception e ? e.getMessage() : "the opening thread ended without a result";
        throw new PeerException("cannot open TAP " + device + " in namespace " + ns.name() + ": " + why,
                result instanceof Exception e ? e : null);
    }

    public String device() {
        return device;
    }

    /** Sends one frame (Ethernet header on, no FCS) into the namespace. */
    public synchronized void write(byte[] frame) {
        MemorySegment.copy(frame, 0, buffer, ValueLayout.JAVA_BYTE, 0, frame.length);
        try {
            int errno = tap.write(buffer, frame.length);
            if (errno != 0) {
                throw new PeerException("write to TAP " + device + " failed: " + linux.ffm.Errno.name(errno));
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
                int n = tap.read(buffer);
                if (n >= 0) {
                    return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                }
            } catch (LinuxException e) {
                throw new PeerException("read from TAP " + device + " failed: " + e.getMessage(), e);
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
        tap.close();
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
