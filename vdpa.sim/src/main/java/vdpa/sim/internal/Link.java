package vdpa.sim.internal;

import driver.core.BusException;

/**
 * A medium a device's port plugs into: it decides whose port each port sends to. Loopback, cable,
 * and a host TAP interface ({@link TapLink}, whose far end is a port of its own fed to the kernel).
 */
interface Link {

    /** The link as configured ({@code loopback}, {@code cable:a}, {@code tap:t0@ns}). */
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
