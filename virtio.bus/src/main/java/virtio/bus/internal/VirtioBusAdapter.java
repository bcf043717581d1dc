package virtio.bus.internal;

import driver.core.BusFactory;
import driver.core.ForwardingBus;
import java.util.Map;
import virtio.bus.VirtioBus;
import virtio.bus.VirtioConstants;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtioDriver;

/**
 * {@link VirtioBus} over a driver.core engine. The engine validates each device and publishes the
 * device and vendor ids it reads off it, so drivers match on what the device says.
 */
class VirtioBusAdapter extends ForwardingBus<VirtioDevice> implements VirtioBus {

    /** What the engine binds: virtio devices to VirtioDriver services. */
    static BusFactory.Spec<VirtioDevice> spec() {
        return new BusFactory.Spec<>(VirtioConstants.BUS, VirtioDevice.class, VirtioDriver.class, new VirtioDeviceValidator(),
                d -> Map.of(VirtioConstants.DEVICE_ID, d.deviceId(), VirtioConstants.VENDOR_ID, d.vendorId()));
    }

    VirtioBusAdapter(BusFactory.Engine<VirtioDevice> engine) {
        super(engine);
    }
}
