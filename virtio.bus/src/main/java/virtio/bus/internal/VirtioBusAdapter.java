package virtio.bus.internal;

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
import virtio.bus.VirtioBus;
import virtio.bus.VirtioConstants;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtioDriver;

/**
 * {@link VirtioBus} over a driver.core engine: fills the identifying properties in from the device
 * and remembers devices by name for {@link #device}. Plain Java, testable with a fake engine.
 */
class VirtioBusAdapter implements VirtioBus, AutoCloseable {

    /** What the engine binds: virtio devices to VirtioDriver services. */
    static BusFactory.Spec<VirtioDevice> spec() {
        return new BusFactory.Spec<>(VirtioConstants.BUS, VirtioDevice.class, VirtioDriver.class, new VirtioDeviceValidator());
    }

    private final BusFactory.Engine<VirtioDevice> engine;
    private final Map<String, VirtioDevice> devices = new ConcurrentHashMap<>();

    VirtioBusAdapter(BusFactory.Engine<VirtioDevice> engine) {
        this.engine = Objects.requireNonNull(engine);
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public DeviceRegistration register(VirtioDevice device, Map<String, ?> properties) throws BusException {
        Objects.requireNonNull(device, "device");
        String refusal = spec().validator().apply(device);
        if (refusal != null) {
            throw new BusException("bus " + name() + " refuses device " + properties.get(BusConstants.DEVICE_NAME) + ": " + refusal);
        }
        Map<String, Object> props = new HashMap<>(properties);
        put(props, VirtioConstants.DEVICE_ID, device.deviceId());
        put(props, VirtioConstants.VENDOR_ID, device.vendorId());
        DeviceRegistration reg = engine.register(device, props);
        String name = reg.name();
        devices.put(name, device);
        return new DeviceRegistration() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void unregister() {
                reg.unregister();
                devices.remove(name, device);
            }
        };
    }

    private static void put(Map<String, Object> props, String key, int value) throws BusException {
        Object given = props.get(key);
        if (given != null && !Integer.valueOf(value).equals(given)) {
            throw new BusException("property " + key + "=" + given + " contradicts the device, which says " + value);
        }
        props.put(key, value);
    }

    @Override
    public Optional<VirtioDevice> device(String name) {
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
