package vdpa.sim.internal;

import driver.core.BusException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import linux.ffm.Epoll;
import linux.ffm.Errno;
import linux.ffm.EventFd;
import linux.ffm.LinuxException;
import linux.ffm.Netns;
import linux.ffm.Tap;
import virtio.net.api.Ethernet;

/**
 * A wire to the host: the device's frames go to a TAP interface of the kernel, and what the kernel
 * sends out of that interface comes to the device (the kernel's tun driver is the other end of
 * the cable).
 *
 * <p><b>One thread.</b> The link's thread ({@code vdpasim-tap-<ifname>}) opens the TAP and then
 * carries both directions. For {@code tap:<ifname>@<netns>} it first enters the namespace
 * (setns(2) changes the calling thread only), so the interface is made there; no other thread of
 * the JVM moves. It waits in epoll on the TAP and on an eventfd that every wake-up writes.
 *
 * <p><b>Device to host.</b> The TAP has a {@link Port} of its own, with one FIFO, which the
 * device's worker fills exactly as it fills a cable peer's, under the same back-pressure; this
 * thread writes each frame to the TAP, then wakes a sender that waits for room. The kernel never
 * blocks a TAP write: a frame it refuses (the interface is down) is counted here by reason.
 *
 * <p><b>Host to device.</b> Before each read the thread asks the device's port for room, as a
 * sender does ({@link Port#admits}); without room it stops reading (the kernel queues, and drops
 * and counts in its own statistics when its queue is full) until the device frees a slot and
 * wakes it. A frame read is delivered on queue pair 0 and ends in the device's counters.
 *
 * <p><b>End.</b> Detaching the device stops the thread, which closes the TAP: the kernel deletes
 * an interface that is not persistent. Frames still in the TAP's FIFO then, or arriving after, are
 * counted as dropped ({@value #TO_HOST_DROP_CLOSED}). If the kernel takes the interface away
 * (an {@code ip link del}), the thread ends and the device sees its link go down. The counters
 * ({@link Stat.Role#TAP}, and {@code tap_to_host_drop_closed}) are the link's, beside the device's.
 *
 * <p>Reading, writing and waking allocate nothing: two native buffers of the largest frame, made once.
 */
final class TapLink implements Link {

    /** The longest frame a TAP can carry: 65535-byte MTU plus the Ethernet header. */
    static final int MAX_FRAME = 65535 + Ethernet.ETH_HLEN;
    /** How long opening may take (entering the namespace, TUNSETIFF). */
    static final long OPEN_SECONDS = 5;
    /** How long a stop waits for the thread. */
    static final long STOP_SECONDS = 5;
    private static final long TOKEN_WAKE = 1;
    private static final long TOKEN_TAP = 2;
    private static final System.Logger LOG = System.getLogger("vdpa.sim");

    private final LinkSpec.Tap spec;
    private final Path cloneDevice;
    private final Port end;
    /** Frames that reached the TAP end while it was closed: the end port's not-ready drops, named for what they are here. */
    static final String TO_HOST_DROP_CLOSED = "tap_to_host_drop_closed";

    /** The TAP end's counters: its port's, and the link's own ({@link Stat.Role#TAP}). */
    private final QueueStats counters = new QueueStats();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private final Thread thread;
    /** Runs the thread's loop again; what the device's worker and FIFO call. */
    private final Runnable wakeLoop = this::wakeLoop;

    /** The device plugged in, or null. */
    private volatile Port device;
    private volatile boolean stopped;
    /** Why the thread ended on its own, or null. */
    private volatile String failure;
    /** The loop's doorbell; set once the TAP is open. */
    private volatile EventFd doorbell;

    /** Opens {@code spec}'s TAP on a new thread of {@code threads} and waits for the result. */
    static TapLink open(LinkSpec.Tap spec, Path cloneDevice, ThreadFactory threads) throws BusException {
        TapLink link = new TapLink(spec, cloneDevice, threads);
        link.thread.start();
        try {
            link.opened.get(OPEN_SECONDS, TimeUnit.SECONDS);
            return link;
        } catch (ExecutionException e) {
            throw new BusException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            link.stop();
            throw new BusException(spec + ": opening the TAP took longer than " + OPEN_SECONDS + " s");
        } catch (InterruptedException e) {
            link.stop();
            Thread.currentThread().interrupt();
            throw new BusException(spec + ": interrupted while opening the TAP");
        }
    }

    /** The thread of {@link #open} in production: a daemon platform thread named after the interface. */
    static ThreadFactory threads(LinkSpec.Tap spec) {
        return r -> Thread.ofPlatform().name("vdpasim-tap-" + spec.ifname()).daemon().unstarted(r);
    }

    private TapLink(LinkSpec.Tap spec, Path cloneDevice, ThreadFactory threads) {
        this.spec = spec;
        this.cloneDevice = cloneDevice;
        this.end = new Port(spec.toString(), new QueueStats[] {counters}, MAX_FRAME, wakeLoop, up -> {});
        this.end.receiveOn(1, true);
        this.thread = threads.newThread(this::run);
    }

    @Override
    public String spec() {
        return spec.toString();
    }

    /** The link's counters, by {@link Stat#word}. */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = counters.snapshot(Stat.Role.TAP);
        m.put(TO_HOST_DROP_CLOSED, counters.get(Stat.RX_DROP_NOT_READY));
        return m;
    }

    @Override
    public String failure() {
        return failure;
    }

    /** The thread that carries the frames (tests look at its namespace and allocations). */
    Thread thread() {
        return thread;
    }

    @Override
    public synchronized void attach(Port port) throws BusException {
        if (device != null) {
            throw new BusException(spec + " already carries " + device.owner());
        }
        if (failure != null) {
            throw new BusException(spec + ": " + failure);
        }
        device = port;
        end.connect(port);
        port.connect(end);
        wakeLoop();
    }

    /** Unplugs the device and ends the TAP: a TAP carries one device only. */
    @Override
    public void detach(Port port) {
        synchronized (this) {
            if (device == port) {
                port.connect(null);
                end.connect(null);
                device = null;
            }
        }
        stop();
    }

    private void stop() {
        stopped = true;
        wakeLoop();
        if (Thread.currentThread() != thread) {
            try {
                if (!thread.join(java.time.Duration.ofSeconds(STOP_SECONDS))) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: the TAP thread did not stop within {1} s", spec, STOP_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void wakeLoop() {
        EventFd d = doorbell;
        if (d != null) {
            try {
                d.write(1);
            } catch (LinuxException closed) {
                // the thread has ended and closed it: nothing to wake
            }
        }
    }

    // ================================================================ the thread

    private void run() {
        try (Arena arena = Arena.ofConfined(); Opened o = openTap()) {
            if (o == null) {
                return;
            }
            new Loop(o, arena.allocate(MAX_FRAME, 64), arena.allocate(MAX_FRAME, 64)).run();
        } finally {
            // frames that reached the TAP after it closed count as dropped from here on
            end.receiveOn(1, false);
        }
    }

    /** What the thread holds while the link is open; closed in reverse order. */
    private record Opened(Tap tap, EventFd doorbell, Epoll epoll) implements AutoCloseable {
        @Override
        public void close() {
            epoll.close();
            doorbell.close();
            tap.close();
        }
    }

    /** Enters the namespace, opens the TAP and its doorbell; on failure completes {@link #opened} with the refusal and returns null. */
    private Opened openTap() {
        TapRefusal.Step step = TapRefusal.Step.ENTER_NETNS;
        Tap tap = null;
        EventFd bell = null;
        try {
            if (spec.netns() != null) {
                Netns.enter(Netns.path(spec.netns()));
            }
            step = TapRefusal.Step.OPEN_CLONE_DEVICE;
            tap = Tap.open(cloneDevice, spec.ifname());
            step = TapRefusal.Step.POLL;
            bell = EventFd.create(0, true);
            Epoll epoll = Epoll.create();
            epoll.add(bell.fd(), Epoll.EPOLLIN, TOKEN_WAKE);
            epoll.add(tap.fd(), 0, TOKEN_TAP);
            doorbell = bell;
            opened.complete(null);
            return new Opened(tap, bell, epoll);
        } catch (LinuxException | RuntimeException e) {
            if (bell != null) {
                bell.close();
            }
            if (tap != null) {
                tap.close();
            }
            opened.completeExceptionally(new BusException(TapRefusal.of(spec, cloneDevice, step, e)));
            return null;
        }
    }

    /** The loop over both directions; the thread's alone. */
    private final class Loop {
        private final Tap tap;
        private final EventFd bell;
        private final Epoll epoll;
        private final Epoll.Events events = new Epoll.Events(2);
        private final MemorySegment fromHost;
        private final MemorySegment toHost;
        private final FrameFifo out = end.fifo(0);
        /** Whether the TAP is registered for EPOLLIN. */
        private boolean reading;
        /** The device had no room: reads wait for its wake-up. */
        private boolean paused;

        Loop(Opened o, MemorySegment fromHost, MemorySegment toHost) {
            this.tap = o.tap();
            this.bell = o.doorbell();
            this.epoll = o.epoll();
            this.fromHost = fromHost;
            this.toHost = toHost;
        }

        void run() {
            try {
                boolean busy = false;
                while (!stopped) {
                    busy = round(busy);
                }
            } catch (LinuxException e) {
                lost(e.getMessage());
            }
        }

        /**
         * One wait and what it woke for; returns whether work may be left (then the next wait
         * does not block). A method of its own so it is compiled on its own, early.
         */
        private boolean round(boolean busy) throws LinuxException {
            boolean wantRead = device != null && !paused;
            if (wantRead != reading) {
                epoll.modify(tap.fd(), wantRead ? Epoll.EPOLLIN : 0, TOKEN_TAP);
                reading = wantRead;
            }
            // the backstop timeout only bounds a lost wake-up; wakes drive the loop
            epoll.await(events, busy ? 0 : 1000);
            for (int i = 0; i < events.count(); i++) {
                if (events.token(i) == TOKEN_WAKE) {
                    bell.read();
                } else if ((events.events(i) & (Epoll.EPOLLERR | Epoll.EPOLLHUP)) != 0) {
                    throw new LinuxException("epoll_wait", Errno.EIO, "the TAP reported an error");
                }
            }
            if (stopped) {
                return false;
            }
            return toHost() | fromHost(device);
        }

        /** Writes what the device sent; returns whether frames may be left. */
        private boolean toHost() throws LinuxException {
            int n = 0;
            int len;
            while (n < NetDatapath.BUDGET && (len = out.peekLength()) >= 0) {
                MemorySegment.copy(out.peekSegment(), 0, toHost, 0, len);
                int errno = tap.write(toHost, len);
                if (errno == 0) {
                    counters.inc(Stat.TAP_TO_HOST_FRAMES);
                    counters.add(Stat.TAP_TO_HOST_BYTES, len);
                } else {
                    counters.inc(errno == Errno.EIO ? Stat.TAP_TO_HOST_DROP_DOWN : Stat.TAP_TO_HOST_DROP_ERROR);
                }
                out.release();
                n++;
            }
            if (n > 0) {
                out.wakeWaiter();
            }
            return n == NetDatapath.BUDGET;
        }

        /** Reads what the kernel sent while the device has room; returns whether frames may be left. */
        private boolean fromHost(Port d) throws LinuxException {
            if (d == null) {
                return false;
            }
            int n = 0;
            while (n < NetDatapath.BUDGET) {
                if (!d.admits(0, wakeLoop)) {
                    if (!paused) {
                        paused = true;
                        counters.inc(Stat.TAP_FROM_HOST_WAIT);
                    }
                    break;
                }
                paused = false;
                int len = tap.read(fromHost);
                if (len < 0) {
                    break;
                }
                if (d.deliver(0, fromHost, len)) {
                    counters.inc(Stat.TAP_FROM_HOST_FRAMES);
                    counters.add(Stat.TAP_FROM_HOST_BYTES, len);
                } else {
                    // only this thread fills the device's FIFO 0, and it had room: counted should it ever happen
                    counters.inc(Stat.TAP_FROM_HOST_DROP_FULL);
                }
                n++;
            }
            if (n > 0) {
                d.wake();
            }
            return n == NetDatapath.BUDGET;
        }
    }

    /** The TAP failed under the thread: the device's link goes down and the reason is kept. */
    private void lost(String why) {
        LOG.log(System.Logger.Level.WARNING, "{0}: the TAP failed, link down: {1}", spec, why);
        synchronized (this) {
            failure = why;
            Port d = device;
            if (d != null) {
                d.connect(null);
                end.connect(null);
            }
        }
    }
}
