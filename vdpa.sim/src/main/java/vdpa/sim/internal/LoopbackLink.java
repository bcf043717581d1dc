package vdpa.sim.internal;

import vdpa.sim.VdpaSimNet;

/** A plug wired to itself: every frame a device sends comes back on its own receive queues. */
final class LoopbackLink implements Link {

    @Override
    public String spec() {
        return VdpaSimNet.LINK_LOOPBACK;
    }

    @Override
    public void attach(Port port) {
        port.connect(port);
    }

    @Override
    public void detach(Port port) {
        port.connect(null);
    }
}
