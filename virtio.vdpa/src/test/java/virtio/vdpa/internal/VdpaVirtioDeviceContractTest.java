package virtio.vdpa.internal;

import org.junit.jupiter.api.AfterEach;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtioDeviceContract;

/** The virtio transport contract, kept by the bridge over an honest vDPA device with dma_map. */
class VdpaVirtioDeviceContractTest extends VirtioDeviceContract {

    private final Adapters adapters = new Adapters();

    @Override
    protected VirtioDevice newDevice() {
        return adapters.over(new Devices.DmaMap(RecordingVdpaDevice.newLog()));
    }

    @AfterEach
    void freePools() {
        adapters.close();
    }
}
