package driver.core.internal;

import driver.core.BusException;
import driver.core.DeviceContext;
import driver.core.DeviceInfo;
import driver.core.Driver;
import driver.core.DriverInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.osgi.framework.Filter;

/**
 * The bus engine in plain Java: {@link BindingRules} run on a {@link BusThread}.
 *
 * <p>Every method may be called from any thread; each hands its work to the bus thread, where the
 * rules run one operation at a time. Steering and listings wait for their answer; adding a device
 * or a driver does not. Removals wait too, unless the caller is bus work itself (a driver's remove
 * taking a child device off the same bus), which must never wait for the bus.
 */
public final class BusEngine<D> implements AutoCloseable {

    private final String bus;
    private final BusThread thread;
    private final BindingRules<D> rules;
    /** Every name claimed on the bus, with its device; readable from any thread. */
    private final Map<String, D> names = new ConcurrentHashMap<>();
    private final AtomicBoolean retryQueued = new AtomicBoolean();

    public BusEngine(String bus, Duration hangTimeout, EngineListener listener) {
        this.bus = bus;
        EngineListener events = EngineListener.guarded(bus, listener);
        this.thread = new BusThread(bus, hangTimeout, events);
        this.rules = new BindingRules<>(bus, events, new BindingRules.Calls<>() {
            @Override
            public Outcome probe(Dev<D> d, Drv<D> r) {
                DeviceContext ctx = d.context(bus);
                return thread.call("probe", d.name, r.name, () -> r.driver.probe(d.device, ctx),
                        late -> rules.probeReturned(d, r, late));
            }

            @Override
            public Outcome remove(Dev<D> d, Drv<D> r) {
                DeviceContext ctx = d.context(bus);
                return thread.call("remove", d.name, r.name, () -> r.driver.remove(d.device, ctx),
                        late -> rules.removeReturned(d, r));
            }
        });
    }

    public String name() {
        return bus;
    }

    /** How long the bus waits for a probe or remove before it reports it hung; for the calls made from now on. */
    public void hangTimeout(Duration timeout) {
        thread.hangTimeout(timeout);
    }

    /**
     * A device's service as the engine keeps it: published when the device's name has been
     * claimed, updated on the bus thread whenever the bus changes the device's properties (binding
     * state, driver, override), withdrawn once when the device has left the bus or the bus closed.
     */
    public interface Publication {
        void update(Map<String, Object> properties);

        void withdraw();
    }

    // ---- devices ------------------------------------------------------------------------------

    /**
     * Adds a device. Its name is claimed first, so a duplicate is refused before anything is
     * published; then {@code publish} publishes the device with {@code properties}, on the
     * caller's thread, and returns the publication the engine keeps current from then on. Matching
     * runs on the bus thread.
     *
     * @throws BusException the name is taken or the bus is closed; nothing was published
     */
    public void addDevice(String name, D device, Map<String, Object> properties,
            Function<Map<String, Object>, Publication> publish) throws BusException {
        if (thread.isClosed()) {
            throw thread.closed();
        }
        if (names.putIfAbsent(name, device) != null) {
            throw new BusException("device name '" + name + "' is already taken on bus " + bus);
        }
        Publication publication;
        try {
            publication = publish.apply(properties);
        } catch (RuntimeException e) {
            names.remove(name, device);
            throw e;
        }
        Dev<D> d = new Dev<>(name, device, properties, publication);
        boolean taken = thread.post("adding device " + name, () -> {
            if (!rules.addDevice(d)) {
                names.remove(name, device); // closed meanwhile: the rules withdrew it
            }
        });
        if (!taken) {
            names.remove(name, device);
            publication.withdraw();
            throw thread.closed();
        }
    }

    /**
     * Removes a device: its driver's remove first, then its publication is withdrawn. Waits for
     * that unless the caller is bus work itself.
     */
    public void removeDevice(String name) {
        boolean taken = thread.runAndWait("removing device " + name, () -> {
            rules.removeDevice(name);
            names.remove(name);
        });
        if (!taken) {
            names.remove(name); // the bus is closed: closing withdrew every device
        }
    }

    /** The device registered under {@code name}, if any; answered without the bus thread. */
    public Optional<D> device(String name) {
        return Optional.ofNullable(names.get(name));
    }

    // ---- drivers ------------------------------------------------------------------------------

    /** A driver as the engine knows it; the handle to remove it again. */
    public Object addDriver(String name, Filter match, int ranking, long serviceId, String bundle, Driver<D> driver) {
        return addDriver(name, match, ranking, serviceId, bundle, driver, true);
    }

    /** As above; with {@code autoprobe} false the driver binds only when asked (bind, or an override naming it). */
    public Object addDriver(String name, Filter match, int ranking, long serviceId, String bundle, Driver<D> driver,
            boolean autoprobe) {
        Drv<D> r = new Drv<>(name, match, ranking, serviceId, bundle, driver);
        r.autoprobe = autoprobe;
        thread.post("adding driver " + name, () -> rules.addDriver(r));
        return r;
    }

    /**
     * A driver's name, match rule or ranking changed: it is matched again under the new ones (see
     * {@link BindingRules#changeDriver}).
     */
    @SuppressWarnings("unchecked")
    public void changeDriver(Object handle, String name, Filter match, int ranking) {
        changeDriver(handle, name, match, ranking, true);
    }

    /** As above, with whether the driver binds on its own ({@link driver.core.BusConstants#DRIVER_AUTOPROBE}). */
    @SuppressWarnings("unchecked")
    public void changeDriver(Object handle, String name, Filter match, int ranking, boolean autoprobe) {
        Drv<D> r = (Drv<D>) handle;
        thread.post("changing driver " + name, () -> rules.changeDriver(r, name, match, ranking, autoprobe));
    }

    /** Removes a driver from every device it drives, in bind order, then matches those devices again. */
    @SuppressWarnings("unchecked")
    public void removeDriver(Object handle) {
        Drv<D> r = (Drv<D>) handle;
        thread.runAndWait("removing driver service " + r.serviceId, () -> rules.removeDriver(r));
    }

    /** Something arrived that a deferred probe may be waiting for: retry the deferred devices. */
    public void retryDeferred() {
        if (!retryQueued.compareAndSet(false, true)) {
            return;
        }
        thread.post("retrying deferred probes", () -> {
            retryQueued.set(false);
            rules.retryDeferred();
        });
    }

    // ---- steering (sysfs bind / unbind / driver_override) ---------------------------------------

    public void bind(String device, String driver) throws BusException {
        thread.steer(() -> {
            rules.bind(device, driver);
            return null;
        });
    }

    public void unbind(String device) throws BusException {
        thread.steer(() -> {
            rules.unbind(device);
            return null;
        });
    }

    public void override(String device, String driver) throws BusException {
        thread.steer(() -> {
            rules.override(device, driver);
            return null;
        });
    }

    // ---- listings -----------------------------------------------------------------------------

    public List<DeviceInfo> devices() {
        return thread.query(rules::devices);
    }

    public List<DriverInfo> drivers() {
        return thread.query(rules::drivers);
    }

    /** Removes every driver from every device, forgets both, and stops the bus thread. */
    @Override
    public void close() {
        thread.runAndWait("closing", () -> {
            rules.close();
            // device(name) answers from this map off the bus thread: a closed bus has no devices
            names.clear();
        });
        thread.close();
    }
}
