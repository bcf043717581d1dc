package driver.core.internal;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.BusFactory;
import driver.core.DeviceInfo;
import driver.core.DeviceRegistration;
import driver.core.Driver;
import driver.core.DriverInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * A bus engine without a framework, for the tests of concrete buses and their shells: a device
 * enters through the real {@link Admission} and binds through the real {@link BusEngine}, exactly
 * as under {@link OsgiBus}; only what OsgiBus would publish as a device service is kept here
 * ({@link #published}), and drivers are added directly with the match rule their service would
 * carry.
 */
public final class InMemoryBus<D> implements BusFactory.Engine<D> {

    private final BusFactory.Spec<D> spec;
    private final BusEngine<D> engine;
    private final Map<String, Map<String, Object>> published = new ConcurrentHashMap<>();
    private final AtomicLong serviceIds = new AtomicLong();

    /** A factory of these buses, for constructing a bus component as DS would, without a framework. */
    public static BusFactory factory() {
        return new BusFactory() {
            @Override
            public <T> Engine<T> create(BundleContext owner, Spec<T> spec) {
                return new InMemoryBus<>(spec);
            }
        };
    }

    /** A bus whose probes may take up to ten seconds before they count as hung. */
    public InMemoryBus(BusFactory.Spec<D> spec) {
        this(spec, Duration.ofSeconds(10));
    }

    public InMemoryBus(BusFactory.Spec<D> spec, Duration hangTimeout) {
        this.spec = spec;
        this.engine = new BusEngine<>(spec.name(), hangTimeout, EngineListener.NONE);
    }

    /** Adds a driver as a driver service with these properties would be; returns its handle. */
    public Object addDriver(String name, String match, int ranking, Driver<D> driver) throws InvalidSyntaxException {
        return engine.addDriver(name, FrameworkUtil.createFilter(match), ranking, serviceIds.incrementAndGet(), "test", driver);
    }

    /** The driver service went away. */
    public void removeDriver(Object handle) {
        engine.removeDriver(handle);
    }

    /** The properties the device's service would carry now, or {@code null} once it is gone. */
    public Map<String, Object> published(String device) {
        return published.get(device);
    }

    /** Waits up to ten seconds for a device to reach a binding state. */
    public DeviceInfo awaitState(String device, BindingState state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Optional<DeviceInfo> info = devices().stream().filter(d -> d.name().equals(device)).findFirst();
            if (info.isPresent() && info.get().state() == state) {
                return info.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("device " + device + " did not reach " + state + ": " + info);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public DeviceRegistration register(D device, Map<String, ?> properties) throws BusException {
        Map<String, Object> props = Admission.admit(spec, device, properties);
        String name = (String) props.get(BusConstants.DEVICE_NAME);
        engine.addDevice(name, spec.deviceType().cast(device), props, first -> new MapPublication(name, first, published, () -> {}));
        AtomicBoolean done = new AtomicBoolean();
        return new DeviceRegistration() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void unregister() {
                if (done.compareAndSet(false, true)) {
                    engine.removeDevice(name);
                }
            }
        };
    }

    @Override
    public Optional<D> device(String name) {
        return engine.device(name);
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
    }
}
