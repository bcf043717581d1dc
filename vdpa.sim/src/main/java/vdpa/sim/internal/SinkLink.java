package vdpa.sim.internal;

import driver.core.BusException;
import java.util.Map;
import vdpa.sim.VdpaSimNet;

/**
 * A wire into nothing: every frame the device sends is counted ({@code sink_frames},
 * {@code sink_bytes}) and dropped, nothing ever arrives. The receiving end of a speed measurement:
 * the device's worker takes a frame off its TX ring and returns it used without copying it
 * anywhere, so what is measured is the ring and the driver on the other side. The link is up
 * while a device is plugged in; one device per sink.
 */
final class SinkLink implements Link {

    private final QueueStats counters = new QueueStats();
    private final Port end = Port.sink(VdpaSimNet.LINK_SINK, counters);
    private Port device;

    @Override
    public String spec() {
        return VdpaSimNet.LINK_SINK;
    }

    @Override
    public synchronized void attach(Port port) throws BusException {
        if (device != null) {
            throw new BusException("a sink carries one device, and this one carries " + device.owner());
        }
        device = port;
        port.connect(end);
    }

    @Override
    public synchronized void detach(Port port) {
        if (device == port) {
            port.connect(null);
            device = null;
        }
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot(Stat.Role.SINK);
    }
}
