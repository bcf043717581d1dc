package driver.core.internal;

import driver.core.BindingState;
import driver.core.BusEventType;
import driver.core.BusException;
import driver.core.DeviceContext;
import driver.core.DeviceInfo;
import driver.core.Driver;
import driver.core.DriverInfo;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.osgi.framework.Filter;

/**
 * The bus engine in plain Java: the kernel's drivers/base/dd.c rules without a framework.
 *
 * <p>All state lives on one thread, the bus thread; every public method hands work to it. Probe and
 * remove run on a thread of their own per call while the bus thread waits for them up to the hang
 * timeout; a call that takes longer is reported and settled when it finally returns, so one stuck
 * driver never freezes the bus. A caller that is itself bus work (a probe registering a child
 * device on the same bus) is never made to wait for the bus, which would deadlock.
 */
public final class BusEngine<D> implements AutoCloseable {

    private static final Logger LOG = System.getLogger(BusEngine.class.getName());
    private static final Comparator<Drv<?>> BEST_FIRST =
            Comparator.<Drv<?>>comparingInt(r -> r.ranking).reversed().thenComparingLong(r -> r.serviceId);

    private final String bus;
    private final Duration hangTimeout;
    private final EngineListener listener;
    private final ExecutorService thread;
    private final ThreadLocal<Boolean> busWork = ThreadLocal.withInitial(() -> false);
    /** Every name claimed on the bus, with its device; readable from any thread. */
    private final Map<String, D> names = new ConcurrentHashMap<>();
    private final AtomicBoolean retryQueued = new AtomicBoolean();

    // Owned by the bus thread.
    private final Map<String, Dev<D>> devices = new LinkedHashMap<>();
    private final List<Drv<D>> drivers = new ArrayList<>();
    private boolean closed;

    public BusEngine(String bus, Duration hangTimeout, EngineListener listener) {
        this.bus = bus;
        this.hangTimeout = hangTimeout;
        this.listener = listener;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                busWork.set(true);
                r.run();
            }, "bus-" + bus);
            t.setDaemon(true);
            return t;
        });
    }

    public String name() {
        return bus;
    }

    // ---- devices ------------------------------------------------------------------------------

    /**
     * Adds a device. The name is claimed at once (so a duplicate is refused here); matching runs on
     * the bus thread. {@code publisher} receives the device's properties each time the bus changes
     * them (binding state, driver, override).
     */
    public void addDevice(String name, D device, Map<String, Object> properties,
            Consumer<Map<String, Object>> publisher) throws BusException {
        if (names.putIfAbsent(name, device) != null) {
            throw new BusException("device name '" + name + "' is already taken on bus " + bus);
        }
        Dev<D> d = new Dev<>(name, device, properties, publisher);
        submit(() -> {
            if (closed) {
                return null;
            }
            devices.put(name, d);
            d.publish(bus);
            listener.event(BusEventType.DEVICE_ADDED, name, null, null);
            attach(d);
            return null;
        });
    }

    /**
     * Removes a device: its driver's remove first, then it leaves. Waits for that unless the
     * caller is bus work itself; {@code then} runs when the device is gone, in either case.
     */
    public void removeDevice(String name, Runnable then) {
        Future<?> f = submit(() -> {
            Dev<D> d = devices.remove(name);
            if (d != null) {
                d.gone = true;
                if (d.state == BindingState.BOUND) {
                    detach(d);
                }
                listener.event(BusEventType.DEVICE_REMOVED, name, null, null);
            }
            names.remove(name);
            then.run();
            return null;
        });
        if (f instanceof CompletableFuture<?> refused && refused.isCompletedExceptionally()) {
            names.remove(name); // the bus is closed: nothing to remove from, only to unpublish
            then.run();
            return;
        }
        awaitUnlessBusWork(f);
    }

    /** The device registered under {@code name}, if any; answered without the bus thread. */
    public java.util.Optional<D> device(String name) {
        return java.util.Optional.ofNullable(names.get(name));
    }

    // ---- drivers ------------------------------------------------------------------------------

    /** A driver as the engine knows it; the handle to remove it again. */
    public Object addDriver(String name, Filter match, int ranking, long serviceId, String bundle, Driver<D> driver) {
        Drv<D> r = new Drv<>(name, match, ranking, serviceId, bundle, driver);
        submit(() -> {
            if (closed) {
                return null;
            }
            for (Drv<D> other : drivers) {
                if (other.name.equals(name)) {
                    LOG.log(Level.WARNING, "bus {0}: driver name ''{1}'' is used twice; binds by name reach the best ranked",
                            bus, name);
                }
            }
            drivers.add(r);
            drivers.sort(BEST_FIRST);
            attachAll();
            return null;
        });
        return r;
    }

    /** Removes a driver from every device it drives, in bind order, then matches those devices again. */
    @SuppressWarnings("unchecked")
    public void removeDriver(Object handle) {
        Drv<D> r = (Drv<D>) handle;
        Future<?> f = submit(() -> {
            if (!drivers.remove(r)) {
                return null;
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
            return null;
        });
        awaitUnlessBusWork(f);
    }

    /** Something arrived that a deferred probe may be waiting for: retry the deferred devices. */
    public void retryDeferred() {
        if (!retryQueued.compareAndSet(false, true)) {
            return;
        }
        submit(() -> {
            retryQueued.set(false);
            for (Dev<D> d : List.copyOf(devices.values())) {
                if (d.state == BindingState.DEFERRED) {
                    attach(d);
                }
            }
            return null;
        });
    }

    // ---- steering (sysfs bind / unbind / driver_override) ---------------------------------------

    public void bind(String device, String driver) throws BusException {
        steer(() -> {
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
            return null;
        });
    }

    public void unbind(String device) throws BusException {
        steer(() -> {
            Dev<D> d = known(device);
            if (d.state != BindingState.BOUND) {
                throw new BusException("device " + device + " is not bound (" + d.state.name().toLowerCase() + ")");
            }
            d.manualUnbind = true;
            detach(d);
            return null;
        });
    }

    public void override(String device, String driver) throws BusException {
        steer(() -> {
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
            return null;
        });
    }

    // ---- listings -----------------------------------------------------------------------------

    public List<DeviceInfo> devices() {
        return query(() -> devices.values().stream().map(d -> d.info()).toList());
    }

    public List<DriverInfo> drivers() {
        return query(() -> drivers.stream().map(r -> new DriverInfo(r.name, r.matchText, r.ranking, r.serviceId,
                r.bundle, r.bound.stream().map(d -> d.name).toList())).toList());
    }

    /** Removes every driver from every device, forgets both, and stops the bus thread. */
    @Override
    public void close() {
        Future<?> f = submit(() -> {
            closed = true;
            for (Dev<D> d : List.copyOf(devices.values())) {
                if (d.state == BindingState.BOUND) {
                    detach(d);
                }
            }
            devices.clear();
            // device(name) answers from this map off the bus thread: a closed bus has no devices
            names.clear();
            drivers.clear();
            return null;
        });
        awaitUnlessBusWork(f);
        thread.shutdown();
    }

    // ---- the rules, on the bus thread -----------------------------------------------------------

    private void attachAll() {
        for (Dev<D> d : List.copyOf(devices.values())) {
            attach(d);
        }
    }

    /** Offers an unbound device to its matching drivers, best first, until one takes it. */
    private void attach(Dev<D> d) {
        if (d.gone || d.manualUnbind || (d.state != BindingState.UNBOUND && d.state != BindingState.DEFERRED)) {
            return;
        }
        for (Drv<D> r : List.copyOf(drivers)) {
            if (!eligible(d, r) || d.failed.contains(r.serviceId)) {
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
        d.publish(bus);
        Outcome o = call(d, r, true);
        settleProbe(d, r, o, before);
        return o;
    }

    private void settleProbe(Dev<D> d, Drv<D> r, Outcome o, BindingState before) {
        switch (o.kind()) {
            case OK -> {
                if (d.gone || r.gone) {
                    // The device or the driver left while a hung probe was running: undo at once.
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
                d.state = before == BindingState.DEFERRED ? BindingState.UNBOUND : before;
                d.driver = null;
                d.lastError = r.name + ": " + o.reason();
                d.publish(bus);
                LOG.log(Level.WARNING, "bus {0}: probe of {1} by {2} failed: {3}", bus, d.name, r.name, o.reason());
                listener.event(BusEventType.PROBE_FAILED, d.name, r.name, o.reason());
            }
            case DEFERRED -> {
                d.state = BindingState.DEFERRED;
                d.driver = null;
                d.lastError = r.name + ": " + o.reason();
                d.publish(bus);
                LOG.log(Level.INFO, "bus {0}: probe of {1} by {2} deferred: {3}", bus, d.name, r.name, o.reason());
                listener.event(BusEventType.PROBE_DEFERRED, d.name, r.name, o.reason());
            }
            case HUNG -> {
                // Stays PROBING; the late outcome is settled by the continuation set in call().
            }
        }
    }

    /** Calls the bound driver's remove and leaves the device unbound. */
    private void detach(Dev<D> d) {
        Drv<D> r = d.driver;
        d.state = BindingState.REMOVING;
        d.publish(bus);
        Outcome o = call(d, r, false);
        r.bound.remove(d);
        if (o.kind() == Outcome.Kind.HUNG) {
            return; // settled when remove returns
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

    /**
     * Calls probe or remove on a thread of its own and waits up to the hang timeout. A call that
     * is late is reported once; when it returns, its outcome is settled on the bus thread.
     */
    private Outcome call(Dev<D> d, Drv<D> r, boolean probe) {
        DeviceContext ctx = d.context(bus);
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        Thread.ofVirtual().name((probe ? "probe-" : "remove-") + bus + "-" + d.name).start(() -> {
            busWork.set(true);
            try {
                if (probe) {
                    r.driver.probe(d.device, ctx);
                } else {
                    r.driver.remove(d.device, ctx);
                }
                done.complete(null);
            } catch (Throwable t) {
                done.complete(t);
            }
        });
        try {
            return Outcome.of(done.get(hangTimeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            String what = (probe ? "probe" : "remove") + " of " + d.name + " by " + r.name;
            LOG.log(Level.ERROR, "bus {0}: {1} has not returned after {2} ms; the bus goes on without it",
                    bus, what, hangTimeout.toMillis());
            listener.event(BusEventType.HUNG, d.name, r.name, what + " has not returned after " + hangTimeout.toMillis() + " ms");
            done.whenComplete((late, ignored) -> submit(() -> {
                LOG.log(Level.WARNING, "bus {0}: {1} returned late", bus, what);
                if (probe) {
                    Outcome outcome = Outcome.of(late);
                    settleProbe(d, r, outcome, BindingState.UNBOUND);
                    // a late failure hands the device on; a late deferral waits for the retry like any other
                    if (outcome.kind() == Outcome.Kind.FAILED) {
                        attach(d);
                    }
                } else {
                    finishDetach(d, r);
                    attach(d);
                }
                return null;
            }));
            return Outcome.HUNG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.HUNG;
        } catch (ExecutionException e) {
            return Outcome.of(e.getCause()); // not reached: the future completes normally
        }
    }

    private Dev<D> known(String name) throws BusException {
        Dev<D> d = devices.get(name);
        if (d == null) {
            throw new BusException("no device '" + name + "' on bus " + bus);
        }
        return d;
    }

    // ---- handing work to the bus thread -------------------------------------------------------

    private <T> Future<T> submit(Callable<T> work) {
        try {
            return thread.submit(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new BusException("bus " + bus + " is closed"));
        }
    }

    private void awaitUnlessBusWork(Future<?> f) {
        if (busWork.get()) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof BusException)) { // BusException here only says: closed
                LOG.log(Level.ERROR, "bus " + bus + ": internal error", e.getCause());
            }
        }
    }

    private void steer(Callable<Void> op) throws BusException {
        if (busWork.get()) {
            throw new BusException("bus " + bus + " cannot be steered from inside a probe or remove");
        }
        await(submit(op));
    }

    private <T> T query(Callable<T> q) {
        if (busWork.get()) {
            throw new IllegalStateException("bus " + bus + " cannot be listed from inside a probe or remove");
        }
        try {
            return await(submit(q));
        } catch (BusException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static <T> T await(Future<T> f) throws BusException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BusException be) {
                throw be;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
