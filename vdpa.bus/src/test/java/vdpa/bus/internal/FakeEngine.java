package vdpa.bus.internal;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.BusFactory;
import driver.core.DeviceInfo;
import driver.core.DeviceRegistration;
import driver.core.DriverInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An engine that keeps devices in a map and binds nothing: enough for the bus adapter and the shell. */
final class FakeEngine<D> implements BusFactory.Engine<D> {
    private final BusFactory.Spec<D> spec;
    final Map<String, Map<String, Object>> devices = new LinkedHashMap<>();
    private final Map<String, D> objects = new LinkedHashMap<>();

    FakeEngine(BusFactory.Spec<D> spec) {
        this.spec = spec;
    }

    @Override public String name() { return spec.name(); }

    @Override
    public synchronized DeviceRegistration register(D device, Map<String, ?> properties) throws BusException {
        String name = (String) properties.get(BusConstants.DEVICE_NAME);
        String refusal = spec.validator().apply(device);
        if (refusal != null) {
            throw new BusException("bus " + spec.name() + " refuses device " + name + ": " + refusal);
        }
        if (devices.containsKey(name)) {
            throw new BusException("device name '" + name + "' is already taken on bus " + spec.name());
        }
        // The engine contract (BusFactory.Spec): the ids read off the device are published with it,
        // and a registrant that says otherwise is refused.
        Map<String, Object> props = new java.util.HashMap<>(properties);
        for (Map.Entry<String, ?> e : spec.identity().apply(device).entrySet()) {
            Object said = props.putIfAbsent(e.getKey(), e.getValue());
            if (said != null && !said.equals(e.getValue())) {
                throw new BusException("property " + e.getKey() + "=" + said + " contradicts device " + name);
            }
        }
        objects.put(name, device);
        devices.put(name, Map.copyOf(props));
        return new DeviceRegistration() {
            @Override public String name() { return name; }
            @Override public void unregister() { synchronized (FakeEngine.this) { devices.remove(name); objects.remove(name); } }
        };
    }

    @Override
    public synchronized List<DeviceInfo> devices() {
        List<DeviceInfo> list = new ArrayList<>();
        devices.forEach((n, p) -> list.add(new DeviceInfo(n, BindingState.UNBOUND, null, null, false, null, p)));
        return list;
    }

    @Override public synchronized java.util.Optional<D> device(String name) { return java.util.Optional.ofNullable(objects.get(name)); }
    @Override public List<DriverInfo> drivers() { return List.of(); }
    @Override public void bind(String device, String driver) throws BusException { throw new BusException("no drivers here"); }
    @Override public void unbind(String device) throws BusException { throw new BusException("no drivers here"); }
    @Override public void override(String device, String driver) throws BusException { throw new BusException("no drivers here"); }
    @Override public void close() {}
}
