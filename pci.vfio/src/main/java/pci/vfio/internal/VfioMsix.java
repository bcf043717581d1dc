package pci.vfio.internal;

import java.util.List;
import java.util.Objects;
import linux.ffm.Epoll;
import linux.ffm.EventFd;
import linux.ffm.LinuxException;
import pci.bus.PciInterruptHandler;
import pci.bus.PciMsix;

/**
 * MSI-X of a function passed through VFIO: the kernel owns the table, so enabling means routing
 * each vector to an eventfd (VFIO_DEVICE_SET_IRQS, {@link Routing}); a poller thread waits on
 * them with epoll and runs the vector's handler, on its own thread, for each signal. Masking is
 * done here, with a pending bit per vector delivered on unmask, which is what the specification
 * asks of a masked vector and works whether or not VFIO can mask MSI-X.
 */
final class VfioMsix implements PciMsix {

    /** How vectors reach eventfds: VFIO_DEVICE_SET_IRQS on the device. */
    interface Routing {
        /** Routes vectors {@code 0..fds.length-1} to these eventfds (and so enables MSI-X). */
        void route(int[] fds) throws LinuxException;

        /** Takes every route away (and so disables MSI-X). */
        void unroute() throws LinuxException;
    }

    private static final System.Logger LOG = System.getLogger("pci.vfio");
    /** How long the poller waits before it looks whether it should stop. */
    static final int POLL_MILLIS = 200;

    private final String name;
    private final int tableSize;
    private final Routing routing;
    private final Object lock = new Object();
    private PciInterruptHandler[] handlers;
    private EventFd[] fds;
    private boolean[] masked;
    private boolean[] pending;
    private Epoll epoll;
    private Thread poller;
    private volatile boolean stop;
    /** Signals the kernel sent (an eventfd's count, several signals read at once counting each); written by the poller only. */
    private volatile long signals;

    VfioMsix(String name, int tableSize, Routing routing) {
        this.name = name;
        this.tableSize = tableSize;
        this.routing = routing;
    }

    @Override
    public int tableSize() {
        return tableSize;
    }

    @Override
    public void enable(List<PciInterruptHandler> list) {
        Objects.requireNonNull(list, "handlers");
        if (list.isEmpty() || list.size() > tableSize) {
            throw new IllegalArgumentException(list.size() + " vectors asked for; the table has 1.." + tableSize);
        }
        PciInterruptHandler[] hs = list.toArray(PciInterruptHandler[]::new);
        synchronized (lock) {
            if (handlers != null) {
                throw new IllegalStateException("MSI-X is enabled already, with " + handlers.length + " vectors");
            }
            EventFd[] made = new EventFd[hs.length];
            Epoll ep = null;
            try {
                ep = Epoll.create();
                int[] numbers = new int[hs.length];
                for (int v = 0; v < hs.length; v++) {
                    made[v] = EventFd.create(0, true);
                    numbers[v] = made[v].fd().number();
                    ep.add(made[v].fd(), Epoll.EPOLLIN, v);
                }
                routing.route(numbers);
            } catch (LinuxException e) {
                close(made, ep);
                throw new IllegalStateException(name + ": routing " + hs.length + " MSI-X vectors failed: " + e.getMessage(), e);
            }
            handlers = hs;
            fds = made;
            epoll = ep;
            masked = new boolean[hs.length];
            pending = new boolean[hs.length];
            stop = false;
            poller = Thread.ofPlatform().name("vfio-msix-" + name).daemon().start(this::poll);
        }
    }

    private void poll() {
        Epoll.Events events = new Epoll.Events(Math.max(1, fds.length));
        while (!stop) {
            try {
                int n = epoll.await(events, POLL_MILLIS);
                for (int i = 0; i < n; i++) {
                    int v = (int) events.token(i);
                    long count = fds[v].read();
                    if (count != 0) {
                        signals += count; // one writer: this thread
                        fire(v);
                    }
                }
            } catch (LinuxException e) {
                if (!stop) {
                    LOG.log(System.Logger.Level.ERROR, name + ": MSI-X poller stops", e);
                }
                return;
            }
        }
    }

    /** A signal of vector {@code v}: its handler, or its pending bit while masked. */
    void fire(int v) {
        PciInterruptHandler h;
        synchronized (lock) {
            if (handlers == null) {
                return;
            }
            if (masked[v]) {
                pending[v] = true;
                return;
            }
            h = handlers[v];
        }
        try {
            h.interrupt(v);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": the handler of MSI-X vector " + v + " threw", e);
        }
    }

    @Override
    public void disable() {
        Thread t;
        synchronized (lock) {
            if (handlers == null) {
                return;
            }
            try {
                routing.unroute();
            } catch (LinuxException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: unrouting MSI-X failed: {1}", name, e.getMessage());
            }
            stop = true;
            handlers = null;
            t = poller;
        }
        // outside the lock: the poller may be in fire(), waiting for it
        if (t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            close(fds, epoll);
            fds = null;
            epoll = null;
        }
    }

    @Override
    public int enabledVectors() {
        synchronized (lock) {
            return handlers == null ? 0 : handlers.length;
        }
    }

    @Override
    public void mask(int vector, boolean m) {
        boolean due;
        synchronized (lock) {
            if (handlers == null || vector < 0 || vector >= handlers.length) {
                throw new IllegalArgumentException("vector " + vector + " is not enabled (" + enabledVectors() + " are)");
            }
            masked[vector] = m;
            due = !m && pending[vector];
            pending[vector] = false;
        }
        if (due) {
            fire(vector);
        }
    }

    /** Signals received from the kernel since this function was opened, over every enable. */
    long signals() {
        return signals;
    }

    /** The eventfd of an enabled vector: what the kernel signals (tests signal it too). */
    EventFd eventFd(int vector) {
        synchronized (lock) {
            return fds[vector];
        }
    }

    private static void close(EventFd[] fds, Epoll epoll) {
        if (fds != null) {
            for (EventFd f : fds) {
                if (f != null) {
                    f.close();
                }
            }
        }
        if (epoll != null) {
            epoll.close();
        }
    }
}
