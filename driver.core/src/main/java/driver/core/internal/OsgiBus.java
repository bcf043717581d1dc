package driver.core.internal;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.BusFactory;
import driver.core.DeviceInfo;
import driver.core.DeviceRegistration;
import driver.core.Driver;
import driver.core.DriverInfo;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A {@link BusEngine} wired to the service registry: drivers come from a tracker over the bus's
 * driver type, devices are published as services of its device type through the owner's context,
 * and every service registration anywhere retries deferred probes.
 */
final class OsgiBus<D> implements BusFactory.Engine<D> {

    private static final Logger LOG = System.getLogger(OsgiBus.class.getName());

    private final BundleContext owner;
    private final BusFactory.Spec<D> spec;
    private final BusEngine<D> engine;
    private final ServiceTracker<Object, Object> driverTracker;
    private final ServiceListener arrivals;
    private final Consumer<OsgiBus<?>> onClose;

    /** {@code onClose} is told once the bus has closed. */
    OsgiBus(BundleContext owner, BusFactory.Spec<D> spec, Duration hangTimeout, EngineListener events,
            Consumer<OsgiBus<?>> onClose) {
        this.owner = owner;
        this.spec = spec;
        this.onClose = onClose;
        this.engine = new BusEngine<>(spec.name(), hangTimeout, events);
        this.driverTracker = new ServiceTracker<>(owner, spec.driverType().getName(), null) {
            @Override
            public Object addingService(ServiceReference<Object> ref) {
                return addDriver(ref);
            }

            @Override
            public void modifiedService(ServiceReference<Object> ref, Object handle) {
                Described d = describe(ref);
                if (d == null) {
                    remove(ref); // unusable now: off the bus until its properties are fixed
                } else {
                    engine.changeDriver(handle, d.name(), d.match(), d.ranking(), d.autoprobe());
                }
            }

            @Override
            public void removedService(ServiceReference<Object> ref, Object handle) {
                engine.removeDriver(handle);
                owner.ungetService(ref);
            }
        };
        this.arrivals = event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                engine.retryDeferred();
            }
        };
        owner.addServiceListener(arrivals);
        driverTracker.open();
    }

    /** What a driver service's properties say about it. */
    private record Described(String name, Filter match, int ranking, boolean autoprobe) {}

    /**
     * Reads and checks a driver service's properties; a driver the bus cannot use is logged and
     * answered {@code null}. Read again whenever they change.
     */
    private Described describe(ServiceReference<Object> ref) {
        Object name = ref.getProperty(BusConstants.DRIVER_NAME);
        Object match = ref.getProperty(BusConstants.DRIVER_MATCH);
        String who = "service " + ref.getProperty(Constants.SERVICE_ID) + " of bundle " + bundleOf(ref);
        if (!(name instanceof String n) || n.isBlank()) {
            LOG.log(Level.ERROR, "bus {0}: ignoring driver {1}: property {2} must be a non-empty string",
                    spec.name(), who, BusConstants.DRIVER_NAME);
            return null;
        }
        if (!(match instanceof String m)) {
            LOG.log(Level.ERROR, "bus {0}: ignoring driver {1} ({2}): property {3} must be an LDAP filter string",
                    spec.name(), n, who, BusConstants.DRIVER_MATCH);
            return null;
        }
        Filter filter;
        try {
            filter = FrameworkUtil.createFilter(m);
        } catch (InvalidSyntaxException e) {
            LOG.log(Level.ERROR, "bus {0}: ignoring driver {1}: bad match rule {2}: {3}", spec.name(), n, m, e.getMessage());
            return null;
        }
        Object rank = ref.getProperty(Constants.SERVICE_RANKING);
        Object auto = ref.getProperty(BusConstants.DRIVER_AUTOPROBE);
        boolean autoprobe = !(Boolean.FALSE.equals(auto) || "false".equalsIgnoreCase(String.valueOf(auto)));
        return new Described(n, filter, rank instanceof Integer i ? i : 0, autoprobe);
    }

    @SuppressWarnings("unchecked")
    private Object addDriver(ServiceReference<Object> ref) {
        Described d = describe(ref);
        if (d == null) {
            return null;
        }
        Object service = owner.getService(ref);
        if (!(service instanceof Driver<?> driver)) {
            LOG.log(Level.ERROR, "bus {0}: ignoring driver {1}: not a {2}", spec.name(), d.name(), Driver.class.getName());
            if (service != null) {
                owner.ungetService(ref);
            }
            return null;
        }
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        return engine.addDriver(d.name(), d.match(), d.ranking(), id, bundleOf(ref), (Driver<D>) driver, d.autoprobe());
    }

    /** The symbolic name of the bundle that registered the service; null once it is unregistered. */
    private static String bundleOf(ServiceReference<?> ref) {
        org.osgi.framework.Bundle b = ref.getBundle();
        return b == null ? null : b.getSymbolicName();
    }

    @Override
    public String name() {
        return spec.name();
    }

    /** A new hang timeout, for the probes and removes called from now on. */
    void hangTimeout(Duration timeout) {
        engine.hangTimeout(timeout);
    }

    @Override
    public DeviceRegistration register(D device, Map<String, ?> properties) throws BusException {
        Map<String, Object> props = Admission.admit(spec, device, properties);
        String name = (String) props.get(BusConstants.DEVICE_NAME);
        // The engine claims the name before the service is registered, so a refused device is
        // never published; the service exists before any driver is offered the device.
        engine.addDevice(name, device, props, initial -> new ServicePublication(
                owner.registerService(spec.deviceType().getName(), device, new Hashtable<>(initial))));
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

    /** A device service: its properties follow the bus's view of the device until it is withdrawn. */
    private static final class ServicePublication implements BusEngine.Publication {
        private final AtomicReference<ServiceRegistration<?>> registration;

        ServicePublication(ServiceRegistration<?> registration) {
            this.registration = new AtomicReference<>(registration);
        }

        @Override
        public void update(Map<String, Object> properties) {
            ServiceRegistration<?> r = registration.get();
            if (r != null) {
                try {
                    r.setProperties(new Hashtable<>(properties));
                } catch (IllegalStateException gone) {
                    // unregistered meanwhile (the owner bundle stopped): nothing left to describe
                }
            }
        }

        @Override
        public void withdraw() {
            ServiceRegistration<?> r = registration.getAndSet(null);
            if (r != null) {
                try {
                    r.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the owner bundle stopped first; the framework already took it away
                }
            }
        }
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
        // Engine first: one remove per bound device, then the device services go; no cascade of
        // re-matching as drivers go.
        engine.close();
        try {
            owner.removeServiceListener(arrivals);
        } catch (IllegalStateException stopped) {
            // owner context already invalid
        }
        driverTracker.close();
        onClose.accept(this);
    }
}
