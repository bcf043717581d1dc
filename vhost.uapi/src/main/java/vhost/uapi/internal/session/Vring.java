package vhost.uapi.internal.session;

import java.util.concurrent.atomic.AtomicLong;
import linux.ffm.EventFd;
import linux.ffm.LinuxException;
import vdpa.bus.VdpaCallback;
import vhost.uapi.internal.proto.Message;

/**
 * One ring as the front-end set it up (size, user addresses, base, kick, call and err
 * descriptors, enable) and whether the device has it ready. The session thread owns everything
 * but {@link #call} and the call counter, which the device's callback uses from the device's
 * thread: a new call descriptor is published with a volatile store, and a write that meets one
 * just replaced fails quietly (the descriptor refuses calls once closed, see linux.ffm.Fd).
 */
final class Vring {

    final int index;
    int num;
    Message.VringAddr addr;
    /** The base word as vhost-user carries it (see {@link RingBase}); 0 until set or saved. */
    long base;
    /** Whether {@link #base} was set by the front-end or saved from the device; else the ring starts fresh. */
    boolean baseSet;
    /** A kick descriptor (or the no-fd flag) came and no GET_VRING_BASE since (vhost-user's "started"). */
    boolean started;
    boolean enabled;
    /** The front-end sends no kicks: the bridge kicks the device itself while the ring runs. */
    boolean polling;
    EventFd kick;
    EventFd err;
    private volatile EventFd call;
    /** The base a device that starts queues only at their start was last found unable to take (said once), else -1. */
    long unstartableBase = -1;
    /** The device has this ring ready with what is set here. */
    boolean programmed;
    final AtomicLong kicks = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    /** The device's callback for this ring: raises the call descriptor. */
    final VdpaCallback callback = this::raiseCall;

    Vring(int index) {
        this.index = index;
    }

    void setCall(EventFd fd) {
        EventFd old = call;
        call = fd;
        if (old != null) {
            old.close();
        }
    }

    EventFd call() {
        return call;
    }

    /** Runs on the device's thread. */
    private void raiseCall() {
        EventFd c = call;
        if (c == null) {
            return; // the front-end polls (no call descriptor)
        }
        try {
            c.write(1);
            calls.incrementAndGet();
        } catch (LinuxException e) {
            // replaced and closed meanwhile: the new descriptor gets the next call; or (EAGAIN) the
            // front-end has not read its counter, which already holds a call
        }
    }

    /** Ready to program: set up, started, enabled. */
    boolean wanted() {
        return started && enabled && num > 0 && addr != null;
    }

    /** Back to the state before the front-end set it up; closes its descriptors (the kick off its poll first). */
    void reset() {
        closeFds();
        num = 0;
        addr = null;
        base = 0;
        baseSet = false;
        unstartableBase = -1;
        started = false;
        enabled = false;
        polling = false;
    }

    /** Closes the descriptors (the caller has the kick taken off its poll first). */
    void closeFds() {
        if (kick != null) {
            kick.close();
            kick = null;
        }
        if (err != null) {
            err.close();
            err = null;
        }
        setCall(null);
    }
}
