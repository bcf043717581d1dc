package virtio.vdpa.internal;

import org.junit.jupiter.api.AfterEach;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtioDeviceContract;

/** The virtio transport contract over a set_map device whose reset drops its mappings. */
class VdpaVirtioDeviceSetMapContractTest extends VirtioDeviceContract {

    private final Adapters adapters = new Adapters();

    @Override
    protected VirtioDevice newDevice() {
        Devices.SetMap d = new Devices.SetMap(RecordingVdpaDevice.newLog());
        d.dropsMapsOnReset = true;
        return adapters.over(d);
    }

    @AfterEach
    void freePools() {
        adapters.close();
    }
}
