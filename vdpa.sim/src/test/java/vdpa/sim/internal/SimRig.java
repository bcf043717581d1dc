package vdpa.sim.internal;

import vdpa.bus.VdpaDevice;

/**
 * Simulated net devices for other modules' tests (this test-jar's public face, with
 * {@link TestDriver}): devices plugged into loopback or cable links and started;
 * {@link #close()} takes them all down.
 */
public final class SimRig implements AutoCloseable {

    private final Sim sim = new Sim();

    /** A started device of {@code maxVqp} pairs on {@code link} ({@code loopback} or {@code cable:<name>}). */
    public VdpaDevice device(String name, long mac, int maxVqp, String link) {
        return sim.device(name, mac, 1500, maxVqp, LinkSpec.parse(link));
    }

    /** Unplugs (down) or replugs (up) the wire of a loopback device made here: a link-state change. */
    public void setLoopbackLink(VdpaDevice device, boolean up) {
        SimNetDevice d = (SimNetDevice) device;
        d.port.connect(up ? d.port : null);
    }

    @Override
    public void close() {
        sim.close();
    }
}
