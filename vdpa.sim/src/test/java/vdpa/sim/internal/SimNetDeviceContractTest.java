package vdpa.sim.internal;

import virtio.net.api.MacAddress;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDeviceContract;
import vdpa.bus.VdpaSuspendContract;

/** The simulated net device keeps the vDPA config-ops contract. */
class SimNetDeviceContractTest extends VdpaDeviceContract implements VdpaSuspendContract {
    @Override
    protected VdpaDevice newDevice() {
        // not started: the contract needs no datapath, and an unstarted worker needs no stopping
        return new SimNetDevice(new NetParams("contract0", new MacAddress(Sim.MAC_A), 1500, 2, SimNetFeatures.OFFERED,
                LinkSpec.LOOPBACK));
    }
}
