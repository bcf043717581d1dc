package vdpa.hw.pci.internal;

import org.junit.jupiter.api.AfterEach;
import pci.emul.internal.EmulatedFunctions;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDeviceContract;

/** The vDPA config-ops contract, kept by a virtio-pci function driven by its registers (an emulated one). */
class VpVdpaDeviceContractTest extends VdpaDeviceContract {

    final EmulatedFunctions functions = new EmulatedFunctions();

    @Override
    protected VdpaDevice newDevice() {
        try {
            return new VpVdpaDevice("vp0", Functions.modern(functions.function("0000:00:04.0", 2, "loopback")), -1L);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        functions.close();
    }
}
