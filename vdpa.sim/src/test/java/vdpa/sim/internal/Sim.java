package vdpa.sim.internal;

import driver.core.BusException;
import java.util.ArrayList;
import java.util.List;
import virtio.net.api.MacAddress;
import virtio.ring.work.WorkerPool;

/**
 * Devices for tests: created, plugged into links and started, their datapaths on one worker pool
 * as the management device's are; {@link #close()} takes them all down.
 */
final class Sim implements AutoCloseable {

    static final long MAC_A = 0x02_00_00_00_00_0aL;
    static final long MAC_B = 0x02_00_00_00_00_0bL;

    final Links links = new Links();
    final WorkerPool pool = new WorkerPool("vdpasim-test", 2);
    private final List<SimNetDevice> devices = new ArrayList<>();
    private final List<Link> plugged = new ArrayList<>();

    SimNetDevice device(String name, long mac, int mtu, int maxVqp, LinkSpec link) {
        SimNetDevice d = new SimNetDevice(new NetParams(name, new MacAddress(mac), mtu, maxVqp, SimNetFeatures.OFFERED, link), pool);
        try {
            plugged.add(links.plug(link, d.port));
        } catch (BusException e) {
            throw new IllegalStateException(e);
        }
        d.start();
        devices.add(d);
        return d;
    }

    SimNetDevice loopback(int maxVqp) {
        return device("lo" + devices.size(), MAC_A, 1500, maxVqp, LinkSpec.LOOPBACK);
    }

    @Override
    public void close() {
        for (int i = devices.size() - 1; i >= 0; i--) {
            links.unplug(plugged.get(i), devices.get(i).port);
            devices.get(i).close();
        }
        pool.close();
    }
}
