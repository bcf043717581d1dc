package vdpa.bus.internal;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.BusFactory;
import driver.core.DeviceInfo;
import driver.core.DeviceRegistration;
import driver.core.DriverInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDriver;

/**
 * {@link VdpaBus} over a driver.core engine: validates, fills the identifying properties in from
 * the device, and remembers devices by name for {@link #device}. Plain Java, testable with a fake
 * engine.
 */
class VdpaBusAdapter implements VdpaBus, AutoCloseable {

    static final VdpaDeviceValidator VALIDATOR = new VdpaDeviceValidator();

    /** What the engine binds: vDPA devices to VdpaDriver services. */
    static BusFactory.Spec<VdpaDevice> spec() {
        return new BusFactory.Spec<>(VdpaConstants.BUS, VdpaDevice.class, VdpaDriver.class, VALIDATOR);
    }

    private final BusFactory.Engine<VdpaDevice> engine;
    private final Map<String, VdpaDevice> devices = new ConcurrentHashMap<>();

    VdpaBusAdapter(BusFactory.Engine<VdpaDevice> engine) {
        this.engine = Objects.requireNonNull(engine);
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public DeviceRegistration register(VdpaDevice device, Map<String, ?> properties) throws BusException {
        Object name = properties.get(BusConstants.DEVICE_NAME);
        if (!(name instanceof String n) || n.isBlank()) {
            throw new BusException("a vdpa device needs a non-empty " + BusConstants.DEVICE_NAME);
        }
        // Validate before asking the device anything else: an inconsistent device's ops may throw.
        String refusal = VALIDATOR.apply(device);
        if (refusal != null) {
            throw new BusException("bus " + name() + " refuses device " + n + ": " + refusal);
        }
        Map<String, Object> props = new HashMap<>(properties);
        put(props, VdpaConstants.NAME, n);
        put(props, VdpaConstants.VIRTIO_DEVICE_ID, device.getDeviceId());
        put(props, VdpaConstants.VIRTIO_VENDOR_ID, device.getVendorId());
        put(props, VdpaConstants.MAX_VQS, device.vqCount());
        put(props, VdpaConstants.MAX_VQ_SIZE, device.getVqNumMax());
        DeviceRegistration reg = engine.register(device, props);
        devices.put(n, device);
        return new DeviceRegistration() {
            @Override
            public String name() {
                return n;
            }

            @Override
            public void unregister() {
                reg.unregister();
                devices.remove(n, device);
            }
        };
    }

    private static void put(Map<String, Object> props, String key, Object value) throws BusException {
        Object given = props.get(key);
        if (given != null && !given.equals(value)) {
            throw new BusException("property " + key + "=" + given + " contradicts the device, which says " + value);
        }
        props.put(key, value);
    }

    @Override
    public Optional<VdpaDevice> device(String name) {
        return Optional.ofNullable(devices.get(name));
    }

    @Override
    public List<DeviceInfo> devices() {
        return engine.devices();
    }

    @Override
    public List<DriverInfo> drivers() {
        return engine.drivers();
    }

    @Override
    public void bind(String device, String driver) throws BusException {
        engine.bind(device, driver);
    }

    @Override
    public void unbind(String device) throws BusException {
        engine.unbind(device);
    }

    @Override
    public void override(String device, String driver) throws BusException {
        engine.override(device, driver);
    }

    @Override
    public void close() {
        engine.close();
        devices.clear();
    }
}
