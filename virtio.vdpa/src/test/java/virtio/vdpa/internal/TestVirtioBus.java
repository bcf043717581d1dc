package virtio.vdpa.internal;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.DeviceContext;
import driver.core.DeviceInfo;
import driver.core.DeviceRegistration;
import driver.core.DriverInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import virtio.bus.VirtioBus;
import virtio.bus.VirtioConstants;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtioDriver;

/**
 * A virtio bus with driver.core's binding rules that matter to a transport, kept small enough to
 * read: names are unique, ids are filled in from the device, one driver (if set) is probed on
 * register in the caller's thread, and unregister runs that driver's remove before the device
 * leaves. Every step goes into the log shared with the vDPA device, so tests see the global order.
 */
final class TestVirtioBus implements VirtioBus {

    private record Entry(VirtioDevice device, Map<String, Object> properties, boolean bound) {}

    private final List<String> log;
    private final Map<String, Entry> devices = new LinkedHashMap<>();
    VirtioDriver driver;
    boolean refuses;

    TestVirtioBus(List<String> log) {
        this.log = log;
    }

    @Override
    public String name() {
        return VirtioConstants.BUS;
    }

    @Override
    public synchronized DeviceRegistration register(VirtioDevice device, Map<String, ?> properties) throws BusException {
        String name = (String) properties.get(BusConstants.DEVICE_NAME);
        if (refuses) {
            throw new BusException("refused for the test");
        }
        if (name == null || devices.containsKey(name)) {
            throw new BusException("device name " + name + " missing or taken");
        }
        Map<String, Object> props = new LinkedHashMap<>(properties);
        props.put(VirtioConstants.DEVICE_ID, device.deviceId());
        props.put(VirtioConstants.VENDOR_ID, device.vendorId());
        log.add("register " + name);
        boolean bound = false;
        if (driver != null) {
            log.add("probe " + name);
            try {
                driver.probe(device, context(name, props));
                bound = true;
            } catch (Exception e) {
                log.add("probe failed " + name + ": " + e.getMessage());
            }
        }
        devices.put(name, new Entry(device, props, bound));
        return new DeviceRegistration() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void unregister() {
                TestVirtioBus.this.unregister(name, device);
            }
        };
    }

    private synchronized void unregister(String name, VirtioDevice device) {
        Entry e = devices.get(name);
        if (e == null || e.device() != device) {
            return; // idempotent
        }
        try {
            if (e.bound()) {
                log.add("remove " + name);
                driver.remove(device, context(name, e.properties()));
            }
        } catch (RuntimeException thrown) {
            log.add("remove threw " + name); // the engine reports it and takes the device off anyway
        } finally {
            devices.remove(name);
            log.add("unregister " + name);
        }
    }

    /** Another transport's device holding a name. */
    synchronized void occupy(String name, VirtioDevice device) {
        devices.put(name, new Entry(device, Map.of(BusConstants.DEVICE_NAME, name), false));
    }

    synchronized Map<String, Object> properties(String name) {
        Entry e = devices.get(name);
        return e == null ? null : e.properties();
    }

    private static DeviceContext context(String name, Map<String, Object> props) {
        return new DeviceContext() {
            @Override public String bus() { return VirtioConstants.BUS; }
            @Override public String name() { return name; }
            @Override public Map<String, Object> properties() { return Map.copyOf(props); }
        };
    }

    @Override
    public synchronized Optional<VirtioDevice> device(String name) {
        return Optional.ofNullable(devices.get(name)).map(Entry::device);
    }

    @Override
    public synchronized List<DeviceInfo> devices() {
        List<DeviceInfo> out = new ArrayList<>();
        devices.forEach((n, e) -> out.add(new DeviceInfo(n, e.bound() ? BindingState.BOUND : BindingState.UNBOUND,
                null, null, false, null, Map.copyOf(e.properties()))));
        return out;
    }

    @Override public List<DriverInfo> drivers() { return List.of(); }
    @Override public void bind(String device, String driver) throws BusException { throw new BusException("not modelled"); }
    @Override public void unbind(String device) throws BusException { throw new BusException("not modelled"); }
    @Override public void override(String device, String driver) throws BusException { throw new BusException("not modelled"); }
}
