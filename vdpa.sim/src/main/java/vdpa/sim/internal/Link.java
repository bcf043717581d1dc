package vdpa.sim.internal;

import driver.core.BusException;

/**
 * A medium a device's port plugs into: it decides whose port each port sends to. Loopback and
 * cable now; a host TAP interface can come later behind the same two calls.
 */
interface Link {

    /** The link as configured ({@code loopback}, {@code cable:a}). */
    String spec();

    /**
     * Plugs a port in; the link connects it (and its other end) as far as it can.
     *
     * @throws BusException if the link has no room for another port
     */
    void attach(Port port) throws BusException;

    /** Unplugs a port; its peer, if any, sees the link go down. */
    void detach(Port port);
}
