package vdpa.sim.internal;

import driver.core.BusException;
import java.util.Map;

/**
 * A medium a device's port plugs into: it decides whose port each port sends to. Loopback, cable,
 * a host TAP interface ({@link TapLink}, whose far end is a port of its own fed to the kernel), a
 * sink ({@link SinkLink}) and a generator ({@link GeneratorLink}), whose far ends count and drop.
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

    /** The link's own counters by {@link Stat#word} ({@code vdpasim:show}); none for a plain wire. */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /** Why the link failed after it was opened (a TAP the kernel took away), or null. */
    default String failure() {
        return null;
    }
}
