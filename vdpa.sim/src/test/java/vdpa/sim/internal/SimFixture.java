package vdpa.sim.internal;

import driver.core.BusException;
import vdpa.bus.VdpaDevice;
import vdpa.sim.model.NetModels;
import virtio.net.api.MacAddress;

/**
 * The simulator without a framework, for other modules' tests (this module's test-jar): its model
 * factory, and {@code vdpasim_net} devices on the same links, kept on a bus that only holds them.
 */
public final class SimFixture implements AutoCloseable {

    private final FakeVdpaBus bus = new FakeVdpaBus();
    private final SimNetMgmtDevice mgmt = new SimNetMgmtDevice(bus);

    /** The factory of models, as the {@link NetModels} service would be. */
    public NetModels models() {
        return mgmt;
    }

    /** A started vdpasim_net device with every feature, on {@code link} ({@code loopback}, {@code cable:<name>}). */
    public VdpaDevice device(String name, String mac, int maxVqp, String link) throws BusException {
        mgmt.add(new NetParams(name, MacAddress.parse(mac), 1500, maxVqp, SimNetFeatures.OFFERED, LinkSpec.parse(link)));
        return bus.device(name).orElseThrow();
    }

    /** Deletes a device made by {@link #device}: off its link, stopped. */
    public void delete(String name) throws BusException {
        mgmt.delete(name);
    }

    /** Every device and model goes. */
    @Override
    public void close() {
        mgmt.deactivate();
    }
}
