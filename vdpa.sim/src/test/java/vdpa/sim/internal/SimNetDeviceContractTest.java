package vdpa.sim.internal;

import org.junit.jupiter.api.AfterAll;
import virtio.net.api.MacAddress;
import virtio.ring.work.WorkerPool;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDeviceContract;
import vdpa.bus.VdpaSuspendContract;

/** The simulated net device keeps the vDPA config-ops contract. */
class SimNetDeviceContractTest extends VdpaDeviceContract implements VdpaSuspendContract {
    private static final WorkerPool POOL = new WorkerPool("vdpasim-contract", 1);

    @AfterAll
    static void closePool() {
        POOL.close();
    }

    @Override
    protected VdpaDevice newDevice() {
        // not started: the contract needs no datapath, and a job never scheduled runs nothing
        return new SimNetDevice(new NetParams("contract0", new MacAddress(Sim.MAC_A), 1500, 2, SimNetFeatures.OFFERED,
                LinkSpec.LOOPBACK), POOL);
    }
}
