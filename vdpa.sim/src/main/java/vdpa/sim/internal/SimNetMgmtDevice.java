package vdpa.sim.internal;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.DeviceRegistration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import vdpa.bus.VdpaAttr;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaDevAttrs;
import vdpa.bus.VdpaMgmtDevice;
import vdpa.bus.VdpaRefusal;
import vdpa.sim.VdpaSimNet;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioIds;
import vdpa.sim.model.NetModel;
import vdpa.sim.model.NetModelSpec;
import vdpa.sim.model.NetModels;
import virtio.ring.work.WorkerPool;

/**
 * The {@value VdpaSimNet#MGMTDEV} management device: creates simulated net devices, plugs them
 * into their links and registers them on the vDPA bus; deletes them in the reverse order. Also
 * published under its own class for the configuration component and the shell commands of this
 * bundle, and as {@link NetModels}: the same devices, off the bus, for another transport to drive,
 * on the same links (the links are this component's, so a cable joins both kinds).
 *
 * <p>Its lock guards only its own tables and is never held while the bus registers or
 * unregisters a device: the framework delivers those service events on the calling thread, and a
 * listener may well call back into this object, or wait for a thread that does. A name is
 * reserved under the lock before its device is registered, so it cannot be taken twice; until the
 * registration returns, the device is listed but cannot be deleted.
 *
 * <p>Every device's datapath runs on one {@link WorkerPool} of this management device
 * ({@link #DATAPATH_WORKERS} threads, named {@code vdpasim-N}): a kicked device gets a worker, an
 * idle one holds none, so a thousand devices cost the same threads as one.
 */
@Component(service = {VdpaMgmtDevice.class, SimNetMgmtDevice.class, NetModels.class},
        property = VdpaConstants.MGMTDEV + "=" + VdpaSimNet.MGMTDEV)
public final class SimNetMgmtDevice implements VdpaMgmtDevice, NetModels {

    /**
     * A device this management device created on the vDPA bus, with its registration (none yet
     * while it is being added); its link is on the device, for both kinds.
     */
    private record Entry(SimNetDevice device, DeviceRegistration registration) {
        Entry registered(DeviceRegistration r) {
            return new Entry(device, r);
        }
    }

    private static final System.Logger LOG = System.getLogger("vdpa.sim");
    /** Datapath threads, whatever the number of devices (see {@link WorkerPool#datapathWorkers()}). */
    static final int DATAPATH_WORKERS = WorkerPool.datapathWorkers();

    private final VdpaBus bus;
    private final WorkerPool datapath = new WorkerPool("vdpasim", DATAPATH_WORKERS);
    private final Links links = new Links();
    private final Map<String, Entry> devices = new LinkedHashMap<>();
    /** Devices handed out as models, by name; a name is taken by a device or a model, not both. */
    private final Map<String, SimNetDevice> models = new LinkedHashMap<>();
    /** Configurations refused, by configuration PID. */
    private final Map<String, VdpaRefusal> refusals = new LinkedHashMap<>();
    /** Deactivated: adds are refused, and one still registering takes its device down itself. */
    private boolean closed;

    @Activate
    public SimNetMgmtDevice(@Reference(name = "bus") VdpaBus bus) {
        this.bus = bus;
    }

    @Override public String name() { return VdpaSimNet.MGMTDEV; }
    @Override public Set<Integer> supportedClasses() { return Set.of(VirtioIds.VIRTIO_ID_NET); }
    @Override public int maxSupportedVqs() { return 2 * NetParams.MAX_VQP + 1; }
    @Override public long supportedFeatures() { return SimNetFeatures.OFFERED; }

    @Override
    public Set<VdpaAttr> configAttributes() {
        return EnumSet.of(VdpaAttr.MAC, VdpaAttr.MTU, VdpaAttr.MAX_VQP, VdpaAttr.DEVICE_FEATURES);
    }

    /** dev_add with a loopback link. */
    @Override
    public void add(VdpaDevAttrs attrs) throws BusException {
        String refusal = attrs.refusalFor(this);
        if (refusal != null) {
            throw new BusException(refusal);
        }
        add(NetParams.of(attrs, LinkSpec.LOOPBACK));
    }

    /** Creates, plugs in, starts and registers a device; on refusal nothing stays behind. */
    void add(NetParams p) throws BusException {
        add(p, null);
    }

    /** As {@link #add(NetParams)}, pinned to the driver named {@code driverOverride} if not blank. */
    void add(NetParams p, String driverOverride) throws BusException {
        if (!VirtioFeatures.has(p.features(), VirtioFeatures.VIRTIO_F_VERSION_1)) {
            throw new BusException("device_features must include VERSION_1: the simulated device is modern-only");
        }
        if (p.maxVqp() > NetParams.MAX_VQP) {
            throw new BusException("max_vqp " + p.maxVqp() + " exceeds " + NetParams.MAX_VQP);
        }
        if (bus.device(p.name()).isPresent()) {
            throw taken(p.name());
        }
        SimNetDevice dev;
        synchronized (this) {
            reserve(p.name());
            dev = plugged(p);
            devices.put(p.name(), new Entry(dev, null));
        }
        dev.start();
        DeviceRegistration reg;
        try {
            // outside the lock: the bus publishes the device, and listeners run on this thread
            Map<String, Object> props = new LinkedHashMap<>();
            props.put(BusConstants.DEVICE_NAME, p.name());
            props.put(VdpaConstants.MGMTDEV, name());
            if (driverOverride != null && !driverOverride.isBlank()) {
                props.put(BusConstants.DRIVER_OVERRIDE, driverOverride);
            }
            reg = bus.register(dev, props);
        } catch (BusException | RuntimeException e) {
            forget(p.name(), dev);
            throw e;
        }
        Entry e;
        synchronized (this) {
            e = devices.get(p.name()).registered(reg);
            if (!closed) {
                devices.put(p.name(), e);
                return;
            }
            devices.remove(p.name());
        }
        destroy(e);
        throw gone(p.name());
    }

    /** Reserves a name for a vDPA device or a model alike; under the lock. */
    private void reserve(String name) throws BusException {
        if (closed) {
            throw gone(name);
        }
        if (devices.containsKey(name) || models.containsKey(name)) {
            throw taken(name);
        }
    }

    /** A device of {@code p} on the datapath pool, plugged into its link; under the lock, after {@link #reserve}. */
    private SimNetDevice plugged(NetParams p) throws BusException {
        // made under the lock: the datapath pool closes only after deactivate took the lock
        SimNetDevice dev = new SimNetDevice(p, datapath);
        try {
            dev.link = links.plug(p.link(), dev.port);
        } catch (BusException refused) {
            dev.stop();
            throw refused;
        }
        return dev;
    }

    private static BusException taken(String name) {
        return new BusException("device name '" + name + "' is already taken");
    }

    private static BusException gone(String name) {
        return new BusException(VdpaSimNet.MGMTDEV + " went away while '" + name + "' was being added");
    }

    /** Undoes a reservation whose registration failed: out of the table, off its link, stopped. */
    private void forget(String name, SimNetDevice dev) {
        synchronized (this) {
            devices.remove(name);
        }
        unplugAndStop(dev);
    }

    private void unplugAndStop(SimNetDevice dev) {
        links.unplug(dev.link, dev.port);
        dev.stop();
    }

    // ================================================================ models (NetModels)

    @Override
    public long offeredFeatures() {
        return SimNetFeatures.OFFERED;
    }

    /**
     * A device off the bus, plugged in and started; {@link NetModel#close()} unplugs and stops it
     * and frees its name. No bus is involved, so this holds the lock throughout.
     */
    @Override
    public NetModel create(NetModelSpec spec) throws BusException {
        NetParams p;
        try {
            p = NetParams.of(spec);
        } catch (IllegalArgumentException e) {
            throw new BusException("model " + spec.name() + ": " + e.getMessage());
        }
        SimNetDevice dev;
        synchronized (this) {
            reserve(p.name());
            dev = plugged(p);
            dev.release = () -> release(dev);
            models.put(p.name(), dev);
        }
        dev.start();
        return dev;
    }

    private void release(SimNetDevice model) {
        synchronized (this) {
            if (!models.remove(model.name(), model)) {
                return;
            }
        }
        unplugAndStop(model);
    }

    /** dev_del: the bus removes the driver (which resets the device), then the link and worker go. */
    @Override
    public void delete(String name) throws BusException {
        Entry e;
        synchronized (this) {
            e = devices.get(name);
            if (e == null) {
                throw new BusException(VdpaSimNet.MGMTDEV + " did not create a device '" + name + "'");
            }
            if (e.registration() == null) {
                throw new BusException("device '" + name + "' is still being added");
            }
            devices.remove(name);
        }
        destroy(e);
    }

    /** Unregisters, unplugs and stops a device taken out of the table; outside the lock. */
    private void destroy(Entry e) {
        if (e.registration() != null) {
            e.registration().unregister();
        }
        unplugAndStop(e.device());
    }

    /**
     * Moves a device's wire to another link (the {@code vdpasim:link} command). The new link is
     * opened before the old one is let go, so if it refuses (a full cable, a TAP the kernel will
     * not give) the device stays on the old one, untouched; moving to the link it is on does nothing.
     */
    synchronized void relink(String name, LinkSpec spec) throws BusException {
        Entry e = devices.get(name);
        SimNetDevice d = e != null ? e.device() : models.get(name);
        if (d == null) {
            throw new BusException(VdpaSimNet.MGMTDEV + " did not create a device '" + name + "'");
        }
        if (spec.toString().equals(d.link())) {
            return;
        }
        Link old = d.link;
        Link next = links.open(spec, d.port);
        links.unplug(old, d.port);
        try {
            links.attach(next, d.port);
        } catch (BusException refused) {
            // a TAP whose interface vanished between open and attach: back to the old link
            d.link = links.plug(LinkSpec.parse(old.spec()), d.port);
            throw refused;
        }
        d.link = next;
    }

    /**
     * Records that the configuration {@code pid} asked for a device this management device
     * refused, and logs it once, on one line; it stays listed until {@link #withdraw}.
     */
    void refuse(String pid, VdpaRefusal refusal) {
        synchronized (this) {
            refusals.put(pid, refusal);
        }
        LOG.log(System.Logger.Level.WARNING, "{0} refused {1}: {2}", name(), refusal.source(), refusal.reason());
    }

    /** The configuration {@code pid} was changed or removed: its refusal no longer holds. */
    synchronized void withdraw(String pid) {
        refusals.remove(pid);
    }

    @Override
    public synchronized List<VdpaRefusal> refusals() {
        return List.copyOf(refusals.values());
    }

    /**
     * What {@code vdpasim:show} lists.
     *
     * @param on where the device is driven from: {@code vdpa} (the vDPA bus) or {@code model} (another transport)
     * @param linkCounters the link's own counters (a TAP's, a sink's, a generator's; empty for loopback and cables)
     * @param linkFailure why the link went down on its own (a TAP the kernel took away), or null
     */
    record Info(String name, String on, String mac, int mtu, int maxVqp, String link, boolean linkUp, long configRefused,
            Map<String, Long> linkCounters, String linkFailure) {}

    synchronized List<Info> list() {
        List<Info> out = new ArrayList<>();
        for (Entry e : devices.values()) {
            out.add(info(e.device(), "vdpa"));
        }
        for (SimNetDevice m : models.values()) {
            out.add(info(m, "model"));
        }
        return out;
    }

    private static Info info(SimNetDevice d, String on) {
        Link l = d.link;
        Map<String, Long> counters = l == null ? Map.of() : l.counters();
        String failure = l == null ? null : l.failure();
        return new Info(d.name(), on, d.params.mac().toString(), d.params.mtu(), d.params.maxVqp(), d.link(), d.linkUp(),
                d.configRefused(), counters, failure);
    }

    /** The device or model of that name, for tests. */
    synchronized SimNetDevice device(String name) {
        Entry e = devices.get(name);
        return e == null ? models.get(name) : e.device();
    }

    /** Every device goes when the management device goes (the kernel's vdpa_mgmtdev_unregister). */
    @Deactivate
    void deactivate() {
        List<Entry> all = new ArrayList<>();
        List<SimNetDevice> handedOut;
        synchronized (this) {
            closed = true;
            handedOut = new ArrayList<>(models.values());
            refusals.clear();
            for (var it = devices.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                // one still being registered stays: its add takes it down when the bus returns
                if (e.registration() != null) {
                    all.add(e);
                    it.remove();
                }
            }
        }
        for (Entry e : all.reversed()) {
            destroy(e);
        }
        // a transport still holding a model sees it reset and silent from here on
        handedOut.reversed().forEach(SimNetDevice::close);
        datapath.close();
    }

    /** The devices' datapath jobs, for tests. */
    List<String> datapathJobs() {
        return datapath.jobNames();
    }

    /** The datapath pool's threads now, for tests. */
    int datapathWorkers() {
        return datapath.workers();
    }
}
