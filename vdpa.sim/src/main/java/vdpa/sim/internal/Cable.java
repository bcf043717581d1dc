package vdpa.sim.internal;

import driver.core.BusException;
import vdpa.sim.VdpaSimNet;

/**
 * A cable with two ends: frames one end sends arrive at the other. With one end plugged the link
 * is down and the plugged device counts what it sends as {@link Stat#TX_DROP_LINK_DOWN}.
 */
final class Cable implements Link {

    private final String name;
    private Port a;
    private Port b;

    Cable(String name) {
        this.name = name;
    }

    @Override
    public String spec() {
        return VdpaSimNet.LINK_CABLE_PREFIX + name;
    }

    /** Why another port cannot be plugged in, or null if an end is free. */
    synchronized String refusal() {
        return a != null && b != null ? "cable " + name + " already joins " + a.owner() + " and " + b.owner() : null;
    }

    @Override
    public synchronized void attach(Port port) throws BusException {
        String full = refusal();
        if (full != null) {
            throw new BusException(full);
        }
        if (a == null) {
            a = port;
        } else {
            b = port;
        }
        if (a != null && b != null) {
            a.connect(b);
            b.connect(a);
        }
    }

    @Override
    public synchronized void detach(Port port) {
        Port other;
        if (a == port) {
            a = null;
            other = b;
        } else if (b == port) {
            b = null;
            other = a;
        } else {
            return;
        }
        port.connect(null);
        if (other != null) {
            other.connect(null);
        }
    }

    /** Whether no port is plugged in. */
    synchronized boolean isEmpty() {
        return a == null && b == null;
    }
}
