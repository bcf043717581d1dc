package vdpa.bus.internal;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.BusFactory;
import driver.core.DeviceRegistration;
import driver.core.ForwardingBus;
import java.util.HashMap;
import java.util.Map;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDriver;

/**
 * {@link VdpaBus} over a driver.core engine. The engine validates each device and publishes the
 * ids it reads off it; this adds only the kernel's device name property, {@code vdpa.name}.
 */
class VdpaBusAdapter extends ForwardingBus<VdpaDevice> implements VdpaBus {

    static final VdpaDeviceValidator VALIDATOR = new VdpaDeviceValidator();

    /** What the engine binds: vDPA devices to VdpaDriver services. */
    static BusFactory.Spec<VdpaDevice> spec() {
        return new BusFactory.Spec<>(VdpaConstants.BUS, VdpaDevice.class, VdpaDriver.class, VALIDATOR,
                d -> Map.of(VdpaConstants.VIRTIO_DEVICE_ID, d.getDeviceId(), VdpaConstants.VIRTIO_VENDOR_ID, d.getVendorId(),
                        VdpaConstants.MAX_VQS, d.vqCount(), VdpaConstants.MAX_VQ_SIZE, d.getVqNumMax()));
    }

    VdpaBusAdapter(BusFactory.Engine<VdpaDevice> engine) {
        super(engine);
    }

    @Override
    public DeviceRegistration register(VdpaDevice device, Map<String, ?> properties) throws BusException {
        Object name = properties.get(BusConstants.DEVICE_NAME);
        Object given = properties.get(VdpaConstants.NAME);
        if (given != null && !given.equals(name)) {
            throw new BusException("property " + VdpaConstants.NAME + "=" + given + " contradicts "
                    + BusConstants.DEVICE_NAME + "=" + name);
        }
        Map<String, Object> props = new HashMap<>(properties);
        if (name != null) {
            props.put(VdpaConstants.NAME, name);
        }
        return super.register(device, props);
    }
}
