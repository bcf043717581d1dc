package vhost.uapi.internal.session;

import java.lang.System.Logger.Level;
import linux.ffm.Epoll;
import linux.ffm.EventFd;
import linux.ffm.Files;
import linux.ffm.LinuxException;
import vdpa.bus.VdpaDevice;

/**
 * The rings' notifications from the front-end to the device: kick descriptors watched in the
 * endpoint's epoll (token {@link #KICK_TOKEN} + ring), rings without one (the no-fd flag) kicked
 * by the bridge while they run, and the err descriptors raised when the device needs a reset.
 * Calls go the other way, from the device's callback ({@link Vring}).
 */
final class Doorbells {

    /** Epoll token of ring {@code i}'s kick descriptor: {@code KICK_TOKEN + i}. */
    static final long KICK_TOKEN = 1 << 16;
    private static final System.Logger LOG = System.getLogger("vhost.uapi");

    private final String name;
    private final VdpaDevice device;
    private final Epoll epoll;
    private final Vring[] rings;

    Doorbells(String name, VdpaDevice device, Epoll epoll, Vring[] rings) {
        this.name = name;
        this.device = device;
        this.epoll = epoll;
        this.rings = rings;
    }

    /** Watches a new kick descriptor of {@code r} (non-blocking: a spurious wake never blocks the endpoint). */
    void watch(Vring r, EventFd kick) throws LinuxException {
        r.kick = kick;
        Files.setNonBlocking(kick.fd(), true);
        epoll.add(kick.fd(), Epoll.EPOLLIN, KICK_TOKEN + r.index);
    }

    /** Stops watching and closes {@code r}'s kick descriptor, if it has one. */
    void unwatch(Vring r) {
        if (r.kick != null) {
            try {
                epoll.remove(r.kick.fd());
            } catch (LinuxException e) {
                LOG.log(Level.DEBUG, "vhost {0}: {1}", name, e.getMessage());
            }
            r.kick.close();
            r.kick = null;
        }
    }

    /** Ring {@code ring}'s kick descriptor is readable: take the count and kick the device if the ring runs. */
    void kick(int ring) throws LinuxException {
        Vring r = rings[ring];
        if (r.kick == null || r.kick.read() == 0) {
            return;
        }
        r.kicks.incrementAndGet();
        if (r.programmed) {
            device.kickVq(ring);
        }
        // not ready yet: the kick the bridge makes when the ring becomes ready covers this one
    }

    /** Whether any running ring has no kick descriptor. */
    boolean polling() {
        for (Vring r : rings) {
            if (r.polling && r.programmed) {
                return true;
            }
        }
        return false;
    }

    /** Kicks each running ring that the front-end does not kick. */
    void pollRings() {
        for (Vring r : rings) {
            if (r.polling && r.programmed) {
                device.kickVq(r.index);
            }
        }
    }

    /** Writes each ring's err descriptor: the device needs a reset (a counter left full already says so). */
    void raiseErrors() throws LinuxException {
        for (Vring r : rings) {
            if (r.err != null) {
                try {
                    r.err.write(1);
                } catch (LinuxException e) {
                    if (e.errno() != linux.ffm.Errno.EAGAIN) {
                        throw e;
                    }
                }
            }
        }
    }
}
