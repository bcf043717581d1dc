package driver.core.internal;

import driver.core.BindingState;
import driver.core.BusEventType;
import driver.core.BusException;
import driver.core.DeviceInfo;
import driver.core.DriverInfo;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Filter;

/**
 * Who binds to what: the kernel's drivers/base/dd.c rules (attach, match, probe, release) in plain,
 * single-threaded Java.
 *
 * <p>The rules know nothing of threads or timeouts. They call a driver through {@link Calls}, which
 * may answer {@link Outcome#HUNG}: the call is still running and the device stays where it is
 * (probing or removing) until the call's real end is handed back through {@link #probeReturned}
 * or {@link #removeReturned}. Every method must be called from one thread at a time; the engine
 * calls them all from its bus thread.
 *
 * <p>The rules, as the kernel has them: an unbound device is offered to the drivers that match it,
 * best ranked first, until one probe succeeds; a failed probe hands the device on and that driver
 * is not offered it again; a deferred probe is retried when something arrives; a bound device
 * keeps its driver, whatever better driver arrives later; a departing driver is removed from its
 * devices in bind order, then they are matched again; driver_override pins a device to one driver
 * by name, and a manual unbind holds until a bind or a new override.
 */
final class BindingRules<D> {

    /** The calls into a driver's probe and remove. */
    interface Calls<D> {
        /** Calls the driver's probe; {@link Outcome#HUNG} if it has not returned yet. */
        Outcome probe(Dev<D> d, Drv<D> r);

        /** Calls the driver's remove; {@link Outcome#HUNG} if it has not returned yet. */
        Outcome remove(Dev<D> d, Drv<D> r);
    }

    private static final Logger LOG = System.getLogger(BindingRules.class.getName());
    private static final Comparator<Drv<?>> BEST_FIRST =
            Comparator.<Drv<?>>comparingInt(r -> r.ranking).reversed().thenComparingLong(r -> r.serviceId);

    private final String bus;
    private final EngineListener listener;
    private final Calls<D> calls;
    private final Map<String, Dev<D>> devices = new LinkedHashMap<>();
    private final List<Drv<D>> drivers = new ArrayList<>();
    private boolean closed;
    /** How many times deferred probes were retried (the kernel's deferred_trigger_count). */
    private long triggers;

    BindingRules(String bus, EngineListener listener, Calls<D> calls) {
        this.bus = bus;
        this.listener = listener;
        this.calls = calls;
    }

    // ---- devices ------------------------------------------------------------------------------

    /**
     * A device enters the bus: published, announced, then offered to its drivers.
     *
     * @return false if the bus is closed: the device was withdrawn instead
     */
    boolean addDevice(Dev<D> d) {
        if (closed) {
            d.withdraw();
            return false;
        }
        devices.put(d.name, d);
        d.publish(bus);
        listener.event(BusEventType.DEVICE_ADDED, d.name, null, null);
        attach(d);
        return true;
    }

    /** A device leaves the bus: its driver's remove first, then its service. */
    void removeDevice(String name) {
        Dev<D> d = devices.remove(name);
        if (d == null) {
            return;
        }
        d.gone = true;
        if (d.state == BindingState.BOUND) {
            detach(d);
        }
        d.withdraw();
        listener.event(BusEventType.DEVICE_REMOVED, name, null, null);
    }

    // ---- drivers ------------------------------------------------------------------------------

    /** A driver arrives and is offered every unbound device it matches. */
    void addDriver(Drv<D> r) {
        if (closed) {
            return;
        }
        warnIfNameTaken(r);
        drivers.add(r);
        drivers.sort(BEST_FIRST);
        attachAll();
    }

    /**
     * A driver's service properties changed: its name, match rule or ranking. Devices it drives and
     * no longer matches are removed from it and matched again; unbound devices are matched again
     * under the new rule and order, and those it failed on are offered to it again. A bound device
     * it still matches keeps it, whatever the new ranking: as in the kernel, a better driver never
     * takes a bound device; only an unbind or a departure moves it.
     */
    void changeDriver(Drv<D> r, String name, Filter match, int ranking) {
        changeDriver(r, name, match, ranking, r.autoprobe);
    }

    /** As above, with a new {@link Drv#autoprobe}: devices it drives stay; only unbound ones are matched again. */
    void changeDriver(Drv<D> r, String name, Filter match, int ranking, boolean autoprobe) {
        if (!drivers.contains(r)) {
            return;
        }
        boolean renamed = !r.name.equals(name);
        r.describe(name, match, ranking, autoprobe);
        if (renamed) {
            warnIfNameTaken(r);
        }
        drivers.sort(BEST_FIRST);
        for (Dev<D> d : devices.values()) {
            d.failed.remove(r.serviceId);
        }
        for (Dev<D> d : List.copyOf(r.bound)) {
            if (!eligible(d, r)) {
                detach(d);
            } else if (renamed) {
                d.publish(bus);
            }
        }
        attachAll();
    }

    private void warnIfNameTaken(Drv<D> r) {
        for (Drv<D> other : drivers) {
            if (other != r && other.name.equals(r.name)) {
                LOG.log(Level.WARNING, "bus {0}: driver name ''{1}'' is used twice; binds by name reach the best ranked",
                        bus, r.name);
            }
        }
    }

    /** A driver leaves: removed from every device it drives, in bind order, then those are matched again. */
    void removeDriver(Drv<D> r) {
        if (!drivers.remove(r)) {
            return;
        }
        r.gone = true;
        List<Dev<D>> orphans = new ArrayList<>(r.bound);
        for (Dev<D> d : orphans) {
            detach(d);
        }
        for (Dev<D> d : devices.values()) {
            d.failed.remove(r.serviceId);
        }
        for (Dev<D> d : orphans) {
            attach(d);
        }
    }

    /** Something arrived that a deferred probe may be waiting for: the deferred devices are matched again. */
    void retryDeferred() {
        triggers++;
        for (Dev<D> d : List.copyOf(devices.values())) {
            if (d.state == BindingState.DEFERRED) {
                attach(d);
            }
        }
    }

    // ---- steering (sysfs bind / unbind / driver_override) ---------------------------------------

    void bind(String device, String driver) throws BusException {
        Dev<D> d = known(device);
        if (d.state == BindingState.BOUND || d.state == BindingState.PROBING || d.state == BindingState.REMOVING) {
            throw new BusException("device " + device + " is " + d.state.name().toLowerCase()
                    + (d.driver != null ? " (driver " + d.driver.name + ")" : ""));
        }
        Drv<D> r = drivers.stream().filter(x -> x.name.equals(driver)).findFirst()
                .orElseThrow(() -> new BusException("no driver '" + driver + "' on bus " + bus));
        if (d.override != null && !d.override.equals(driver)) {
            throw new BusException("device " + device + " is pinned to driver '" + d.override + "' by driver_override");
        }
        if (!eligible(d, r)) {
            throw new BusException("driver " + driver + " does not match device " + device + " (match " + r.matchText + ")");
        }
        Outcome o = probe(d, r);
        switch (o.kind()) {
            case OK -> { }
            case HUNG -> throw new BusException("probe of " + device + " by " + driver + " " + o.reason());
            default -> throw new BusException("probe of " + device + " by " + driver + " failed: " + o.reason());
        }
    }

    void unbind(String device) throws BusException {
        Dev<D> d = known(device);
        if (d.state != BindingState.BOUND) {
            throw new BusException("device " + device + " is not bound (" + d.state.name().toLowerCase() + ")");
        }
        d.manualUnbind = true;
        detach(d);
    }

    /** Pins the device to the driver of this name, or clears the pin with {@code null}. */
    void override(String device, String driver) throws BusException {
        if (driver != null && driver.isBlank()) {
            throw new BusException("driver_override needs a driver name; null clears it");
        }
        Dev<D> d = known(device);
        if (d.state == BindingState.PROBING || d.state == BindingState.REMOVING) {
            throw new BusException("device " + device + " is busy (" + d.state.name().toLowerCase() + ")");
        }
        d.override = driver;
        d.manualUnbind = false;
        d.failed.clear();
        if (d.state == BindingState.BOUND && driver != null && !driver.equals(d.driver.name)) {
            detach(d);
        }
        d.publish(bus);
        attach(d);
    }

    // ---- listings -----------------------------------------------------------------------------

    List<DeviceInfo> devices() {
        return devices.values().stream().map(d -> d.info()).toList();
    }

    List<DriverInfo> drivers() {
        return drivers.stream().map(r -> new DriverInfo(r.name, r.matchText, r.ranking, r.serviceId,
                r.bundle, r.bound.stream().map(d -> d.name).toList(), r.autoprobe)).toList();
    }

    /** Removes every driver from every device, withdraws the devices and forgets both; nothing enters afterwards. */
    void close() {
        closed = true;
        for (Dev<D> d : List.copyOf(devices.values())) {
            d.gone = true;
            if (d.state == BindingState.BOUND) {
                detach(d);
            }
            d.withdraw();
        }
        devices.clear();
        drivers.clear();
    }

    // ---- late returns ---------------------------------------------------------------------------

    /** A probe that was reported hung has returned: its outcome is settled now. */
    void probeReturned(Dev<D> d, Drv<D> r, Outcome late) {
        settleProbe(d, r, late, BindingState.UNBOUND);
        // A late failure hands the device on. A late deferral waits for the next retry, unless a
        // retry already came and passed the device by while its probe was running: what it waits
        // for may have arrived since it looked, so it is retried now (as the kernel does).
        if (late.kind() == Outcome.Kind.FAILED || (late.kind() == Outcome.Kind.DEFERRED && d.triggersAtProbe != triggers)) {
            attach(d);
        }
    }

    /** A remove that was reported hung has returned: the device is unbound and matched again. */
    void removeReturned(Dev<D> d, Drv<D> r) {
        finishDetach(d, r);
        attach(d);
    }

    // ---- the rules ------------------------------------------------------------------------------

    /** Offers every unbound device to the drivers; deferred ones too, so this counts as a retry. */
    private void attachAll() {
        triggers++;
        for (Dev<D> d : List.copyOf(devices.values())) {
            attach(d);
        }
    }

    /**
     * Offers an unbound device to its matching drivers, best first, until one takes it. A driver
     * that binds only when asked is offered only a device whose override names it.
     */
    private void attach(Dev<D> d) {
        if (d.gone || d.manualUnbind || (d.state != BindingState.UNBOUND && d.state != BindingState.DEFERRED)) {
            return;
        }
        for (Drv<D> r : List.copyOf(drivers)) {
            if (!eligible(d, r) || d.failed.contains(r.serviceId) || !r.autoprobe && d.override == null) {
                continue;
            }
            Outcome o = probe(d, r);
            if (o.kind() != Outcome.Kind.FAILED) {
                return;
            }
        }
    }

    private boolean eligible(Dev<D> d, Drv<D> r) {
        if (r.gone) {
            return false;
        }
        if (d.override != null) {
            return d.override.equals(r.name);
        }
        return r.match.matches(d.properties);
    }

    /** Runs one probe and moves the device to the state its outcome says. */
    private Outcome probe(Dev<D> d, Drv<D> r) {
        BindingState before = d.state;
        d.state = BindingState.PROBING;
        d.driver = r;
        d.triggersAtProbe = triggers;
        d.publish(bus);
        Outcome o = calls.probe(d, r);
        settleProbe(d, r, o, before);
        return o;
    }

    private void settleProbe(Dev<D> d, Drv<D> r, Outcome o, BindingState before) {
        switch (o.kind()) {
            case OK -> {
                if (d.gone || !eligible(d, r)) {
                    // The device or the driver left, or the driver's match rule changed, while a
                    // hung probe was running: undo at once.
                    d.state = BindingState.BOUND;
                    r.bound.add(d);
                    detach(d);
                    if (!d.gone) {
                        attach(d);
                    }
                    return;
                }
                d.state = BindingState.BOUND;
                // bound is never "unbound by hand", however the probe came to succeed (late, too)
                d.manualUnbind = false;
                d.lastError = null;
                r.bound.add(d);
                d.publish(bus);
                listener.event(BusEventType.BOUND, d.name, r.name, null);
            }
            case FAILED -> {
                // remembered here, where every failed probe ends (a late one too), so no driver is
                // offered a device it already failed on
                d.failed.add(r.serviceId);
                notTaken(d, r, o, before == BindingState.DEFERRED ? BindingState.UNBOUND : before);
                LOG.log(Level.WARNING, "bus {0}: probe of {1} by {2} failed: {3}", bus, d.name, r.name, o.reason());
                listener.event(BusEventType.PROBE_FAILED, d.name, r.name, o.reason());
            }
            case DEFERRED -> {
                notTaken(d, r, o, BindingState.DEFERRED);
                LOG.log(Level.INFO, "bus {0}: probe of {1} by {2} deferred: {3}", bus, d.name, r.name, o.reason());
                listener.event(BusEventType.PROBE_DEFERRED, d.name, r.name, o.reason());
            }
            case HUNG -> {
                // Stays PROBING until probeReturned settles the real outcome.
            }
        }
    }

    /** The probe did not take the device: it is left in {@code state}, with the probe's reason. */
    private void notTaken(Dev<D> d, Drv<D> r, Outcome o, BindingState state) {
        d.state = state;
        d.driver = null;
        d.lastError = r.name + ": " + o.reason();
        d.publish(bus);
    }

        /** Calls the bound driver's remove and leaves the device unbound. */
    private void detach(Dev<D> d) {
        Drv<D> r = d.driver;
        d.state = BindingState.REMOVING;
        d.publish(bus);
        Outcome o = calls.remove(d, r);
        r.bound.remove(d);
        if (o.kind() == Outcome.Kind.HUNG) {
            return; // removeReturned finishes it
        }
        if (o.kind() == Outcome.Kind.FAILED) {
            LOG.log(Level.WARNING, "bus {0}: remove of {1} by {2} threw: {3}", bus, d.name, r.name, o.reason());
        }
        finishDetach(d, r);
    }

    private void finishDetach(Dev<D> d, Drv<D> r) {
        d.state = BindingState.UNBOUND;
        d.driver = null;
        if (!d.gone) {
            d.publish(bus);
        }
        listener.event(BusEventType.UNBOUND, d.name, r.name, null);
    }

    private Dev<D> known(String name) throws BusException {
        Dev<D> d = devices.get(name);
        if (d == null) {
            throw new BusException("no device '" + name + "' on bus " + bus);
        }
        return d;
    }
}
