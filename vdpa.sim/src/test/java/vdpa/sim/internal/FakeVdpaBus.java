package vdpa.sim.internal;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.DeviceInfo;
import driver.core.DeviceRegistration;
import driver.core.DriverInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaDevice;

/** A vDPA bus that only keeps devices by name: enough for the management device. */
final class FakeVdpaBus implements VdpaBus {

    final Map<String, VdpaDevice> devices = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
    /**
     * Runs on the registering thread once a device is registered, as a service listener does when
     * the framework delivers the registration event synchronously; null for none.
     */
    volatile Consumer<String> registered;

    @Override public String name() { return "vdpa"; }

    @Override
    public DeviceRegistration register(VdpaDevice device, Map<String, ?> props) throws BusException {
        String name = (String) props.get(BusConstants.DEVICE_NAME);
        synchronized (this) {
            if (devices.containsKey(name)) {
                throw new BusException("device name '" + name + "' is already taken on bus vdpa");
            }
            if (device.getStatus() != 0) {
                throw new BusException("a new device must be reset");
            }
            devices.put(name, device);
            properties.put(name, Map.<String, Object>copyOf(props));
        }
        Consumer<String> listener = registered;
        if (listener != null) {
            listener.accept(name);
        }
        return new DeviceRegistration() {
            @Override public String name() { return name; }
            @Override public void unregister() {
                synchronized (FakeVdpaBus.this) {
                    devices.remove(name);
                    properties.remove(name);
                }
            }
        };
    }

    @Override public synchronized Optional<VdpaDevice> device(String name) { return Optional.ofNullable(devices.get(name)); }

    @Override
    public synchronized List<DeviceInfo> devices() {
        List<DeviceInfo> l = new ArrayList<>();
        properties.forEach((n, p) -> l.add(new DeviceInfo(n, BindingState.UNBOUND, null, null, false, null, Map.copyOf(p))));
        return l;
    }

    @Override public List<DriverInfo> drivers() { return List.of(); }
    @Override public void bind(String device, String driver) throws BusException { throw new BusException("no drivers"); }
    @Override public void unbind(String device) throws BusException { throw new BusException("no drivers"); }
    @Override public void override(String device, String driver) throws BusException { throw new BusException("no drivers"); }
}
