package vhost.uapi.internal.session;

import java.lang.System.Logger.Level;
import linux.ffm.EventFd;
import linux.ffm.Files;
import linux.ffm.LinuxException;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VqState;
import vhost.uapi.internal.proto.Message;
import vhost.uapi.internal.proto.ProtocolError;
import vhost.uapi.internal.proto.ProtocolException;

/**
 * The rings as the front-end sets them up, one message at a time: size, addresses, base, kick,
 * call and err descriptors, enable, and GET_VRING_BASE, which stops a ring and answers where it
 * resumes. Each message that changes a running ring's set-up has the {@link Bridge} stop it first;
 * the next sync starts it again. Owned by the session's thread.
 */
final class RingMessages {

    private static final System.Logger LOG = System.getLogger("vhost.uapi");

    private final String name;
    private final VdpaDevice device;
    private final Bridge bridge;
    private final Vring[] rings;
    private final Doorbells doorbells;

    RingMessages(String name, VdpaDevice device, Bridge bridge, Vring[] rings, Doorbells doorbells) {
        this.name = name;
        this.device = device;
        this.bridge = bridge;
        this.rings = rings;
        this.doorbells = doorbells;
    }

    /**
     * Acts on one ring message; false if the device refused what it asked.
     *
     * @param usable the rings the front-end may name (the bridge's own control queue is not one)
     * @param enabledAtStart whether a ring is enabled as it starts (no protocol features negotiated)
     * @param packed the ring layout the front-end negotiated, or null before SET_FEATURES
     */
    boolean handle(Message m, int usable, boolean enabledAtStart, Boolean packed, ReplySink replies) throws ProtocolException, LinuxException {
        Message.Body b = m.body();
        switch (m.request()) {
            case SET_VRING_NUM -> {
                Message.VringState s = (Message.VringState) b;
                Vring r = ring(s.index(), usable, m);
                int max = device.getVqSize(r.index);
                if (s.num() < 1 || s.num() > max) {
                    throw new ProtocolException(ProtocolError.BAD_QUEUE_SIZE, "ring " + r.index + ": size " + s.num()
                            + " outside 1.." + max);
                }
                bridge.stopRing(r);
                r.num = (int) s.num();
            }
            case SET_VRING_ADDR -> {
                Message.VringAddr a = (Message.VringAddr) b;
                Vring r = ring(a.index(), usable, m);
                bridge.stopRing(r);
                r.addr = a;
            }
            case SET_VRING_BASE -> {
                Message.VringState s = (Message.VringState) b;
                Vring r = ring(s.index(), usable, m);
                bridge.stopRing(r);
                r.base = s.num();
                r.baseSet = true;
                if (!bridge.takesBase(s.num(), packed)) {
                    // kept, so the ring does not start elsewhere than the front-end thinks; it stays stopped
                    LOG.log(Level.WARNING, "vhost {0}: refusing SET_VRING_BASE 0x{1} of ring {2}: the device starts a queue only"
                            + " at its start and cannot report or restore where one stands", name, Long.toHexString(s.num()), r.index);
                    return false;
                }
            }
            case GET_VRING_BASE -> {
                Vring r = ring(((Message.VringState) b).index(), usable, m);
                // stops the ring: the device's position is read back, the ring itself stays as it is
                r.started = false;
                bridge.stopRing(r);
                doorbells.unwatch(r);
                long base = r.baseSet ? r.base : RingBase.of(VqState.initial(bridge.packed()));
                replies.vringState(r.index, (int) base);
            }
            case SET_VRING_KICK -> {
                Message.U64 w = (Message.U64) b;
                Vring r = ring(w.ring(), usable, m);
                doorbells.unwatch(r);
                r.polling = w.noFd();
                if (!w.noFd()) {
                    doorbells.watch(r, EventFd.adopt(m.fds().get(0)));
                }
                r.started = true;
                if (enabledAtStart) {
                    r.enabled = true;
                }
            }
            case SET_VRING_CALL -> {
                Message.U64 w = (Message.U64) b;
                ring(w.ring(), usable, m).setCall(w.noFd() ? null : nonBlocking(m.fds().get(0)));
            }
            case SET_VRING_ERR -> {
                Message.U64 w = (Message.U64) b;
                Vring r = ring(w.ring(), usable, m);
                if (r.err != null) {
                    r.err.close();
                }
                r.err = w.noFd() ? null : nonBlocking(m.fds().get(0));
            }
            case SET_VRING_ENABLE -> {
                Message.VringState s = (Message.VringState) b;
                ring(s.index(), usable, m).enabled = s.num() != 0;
            }
            default -> throw new IllegalArgumentException(m.request() + " is not a ring message");
        }
        return true;
    }

    /** Where GET_VRING_BASE answers go (the session's channel). */
    interface ReplySink {
        void vringState(int index, int num) throws LinuxException;
    }

    /**
     * Ring {@code index} becomes the bridge's (its control queue, once features say so): whatever
     * the front-end set up on it before, when no ring was the bridge's yet, goes.
     */
    void claim(int index) {
        Vring r = rings[index];
        if (r.num != 0 || r.addr != null || r.started || r.kick != null || r.call() != null || r.err != null) {
            LOG.log(Level.WARNING, "vhost {0}: ring {1} is the control queue the bridge drives for a front-end that keeps its own;"
                    + " what the front-end set up on it before SET_FEATURES is dropped", name, index);
        }
        bridge.stopRing(r);
        doorbells.unwatch(r);
        r.reset();
    }

    /** Every ring back to its state before the front-end set it up (the device was reset). */
    void reset() {
        for (Vring r : rings) {
            doorbells.unwatch(r);
            r.reset();
        }
    }

    private Vring ring(int index, int usable, Message m) throws ProtocolException {
        if (index < 0 || index >= usable) {
            throw new ProtocolException(ProtocolError.BAD_QUEUE_INDEX, m.request() + " for ring " + Integer.toUnsignedString(index)
                    + " of a device with " + usable);
        }
        return rings[index];
    }

    /**
     * A call or err descriptor, made non-blocking: a write to a counter the front-end lets fill
     * then fails instead of holding the device's (or the endpoint's) thread for ever.
     */
    private static EventFd nonBlocking(linux.ffm.Fd fd) throws LinuxException {
        Files.setNonBlocking(fd, true);
        return EventFd.adopt(fd);
    }
}
