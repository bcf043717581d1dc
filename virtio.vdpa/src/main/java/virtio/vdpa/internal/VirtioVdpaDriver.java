package virtio.vdpa.internal;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.DeviceContext;
import driver.core.DeviceRegistration;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDriver;
import virtio.bus.VirtioBus;
import virtio.bus.VirtioConstants;
import virtio.ring.DmaPool;
import virtio.vdpa.VirtioVdpaConstants;

/**
 * The virtio_vdpa driver in plain Java (the DS component is a thin shell around it):
 * virtio_vdpa_probe and virtio_vdpa_remove, with the DMA pool this runtime needs in between.
 *
 * <p>Probe: choose how the device takes translations (dma_map, else set_map; neither is refused),
 * plan and create the pool, map it, install the config interrupt, register the virtio device.
 * A failure at any step undoes the steps before it and leaves the device reset.
 *
 * <p>Remove: unregister the virtio device (the virtio bus runs its class driver's remove first and
 * waits for it), cut the adapter off, reset the vDPA device, clear its config interrupt, unmap the
 * pool, free it. Best effort past the first step: a device that went bad is logged, never thrown from.
 */
public class VirtioVdpaDriver implements VdpaDriver {

    private static final Logger LOG = System.getLogger(VirtioVdpaDriver.class.getName());

    /** Creates the pool of a plan; tests substitute one to see what was created. */
    @FunctionalInterface
    interface PoolFactory {
        DmaPool create(long size, long iovaBase);
    }

    /** What one bound vDPA device has: everything remove must take down, in reverse order. */
    private record Binding(VdpaDevice vdpa, VdpaVirtioDevice virtio, DmaPool pool, DmaWindow window,
            DeviceRegistration registration) {}

    private final VirtioBus bus;
    private final PoolFactory pools;
    private final DeviceNames names = new DeviceNames(VirtioVdpaConstants.DEVICE_NAME_PREFIX);
    private final Map<VdpaDevice, Binding> bindings = Collections.synchronizedMap(new IdentityHashMap<>());

    /** A driver that registers its virtio devices on {@code bus}. */
    public VirtioVdpaDriver(VirtioBus bus) {
        this(bus, DmaPool::create);
    }

    VirtioVdpaDriver(VirtioBus bus, PoolFactory pools) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.pools = Objects.requireNonNull(pools, "pools");
    }

    @Override
    public void probe(VdpaDevice vdpa, DeviceContext context) throws Exception {
        if (bindings.containsKey(vdpa)) {
            throw new IllegalStateException(context.name() + " is already bound to " + VirtioVdpaConstants.DRIVER_NAME);
        }
        DmaWindow.Kind kind = DmaWindow.Kind.of(vdpa);
        if (kind == null) {
            resetQuietly(vdpa, context.name());
            throw new IllegalStateException(context.name() + " has neither dma_map nor set_map: "
                    + VirtioVdpaConstants.DRIVER_NAME + " cannot map ring memory for it (no platform IOMMU here)");
        }
        PoolPlan plan;
        DmaPool pool;
        try {
            plan = PoolPlan.of(vdpa);
            pool = pools.create(plan.size(), plan.iovaBase());
        } catch (RuntimeException e) {
            resetQuietly(vdpa, context.name());
            throw new IllegalStateException(context.name() + ": no DMA pool: " + e.getMessage(), e);
        }
        DmaWindow window = new DmaWindow(vdpa, kind, pool);
        try {
            window.map();
        } catch (RuntimeException e) {
            resetQuietly(vdpa, context.name());
            close(pool, context.name());
            throw new IllegalStateException(context.name() + " refused " + kind.op + " of the DMA pool ("
                    + plan.size() + " bytes at IOVA 0x" + Long.toHexString(plan.iovaBase()) + "): " + e.getMessage(), e);
        }
        String name = names.allocate(this::takenOnTheBus);
        VdpaVirtioDevice virtio = new VdpaVirtioDevice(name, vdpa, pool, window);
        DeviceRegistration registration;
        try {
            virtio.attach();
            registration = bus.register(virtio, properties(name, vdpa, context));
        } catch (BusException | RuntimeException e) {
            takeDown(new Binding(vdpa, virtio, pool, window, null), context.name());
            throw new IllegalStateException(context.name() + ": the virtio bus refused " + name + ": " + e.getMessage(), e);
        }
        bindings.put(vdpa, new Binding(vdpa, virtio, pool, window, registration));
        LOG.log(Level.INFO, "{0}: {1} on the virtio bus, DMA pool of {2} bytes at IOVA 0x{3} by {4}", context.name(),
                name, plan.size(), Long.toHexString(plan.iovaBase()), kind.op);
    }

    @Override
    public void remove(VdpaDevice vdpa, DeviceContext context) {
        Binding b = bindings.remove(vdpa);
        if (b != null) {
            takeDown(b, context.name());
        }
    }

    /** Takes down every device still bound (the component going away without the bus asking first). */
    public void removeAll() {
        List<Binding> all;
        synchronized (bindings) {
            all = new ArrayList<>(bindings.values());
            bindings.clear();
        }
        all.forEach(b -> takeDown(b, b.virtio().name()));
    }

    /** The virtio device of a bound vDPA device, for tests and listings. */
    VdpaVirtioDevice virtioDevice(VdpaDevice vdpa) {
        Binding b = bindings.get(vdpa);
        return b == null ? null : b.virtio();
    }

    private Map<String, Object> properties(String name, VdpaDevice vdpa, DeviceContext context) {
        Map<String, Object> p = new HashMap<>();
        p.put(BusConstants.DEVICE_NAME, name);
        p.put(VirtioVdpaConstants.PARENT, context.name());
        p.put(VirtioConstants.DEVICE_ID, vdpa.getDeviceId());
        p.put(VirtioConstants.VENDOR_ID, vdpa.getVendorId());
        return p;
    }

    /**
     * Whether another transport holds the name on the virtio bus. Asked of the bus's name table,
     * which answers without the bus's thread: a listing would wait behind every probe queued there,
     * and so tie each vDPA probe to the whole virtio bus's backlog.
     */
    private boolean takenOnTheBus(String name) {
        try {
            return bus.device(name).isPresent();
        } catch (RuntimeException e) {
            return false; // a clash then shows as the bus's refusal, with its reason
        }
    }

    /**
     * The remove order: virtio device off its bus (its class driver's remove runs inside), adapter
     * cut off, vDPA reset, config interrupt cleared, pool unmapped, pool freed, name returned.
     */
    private void takeDown(Binding b, String who) {
        if (b.registration() != null) {
            try {
                b.registration().unregister();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, who + ": unregistering " + b.virtio().name() + " failed", e);
            }
        }
        b.virtio().detach();
        resetQuietly(b.vdpa(), who);
        try {
            b.vdpa().setConfigCb(null);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "{0}: clearing the config callback failed: {1}", who, e.toString());
        }
        b.window().unmap(who);
        close(b.pool(), who);
        names.release(b.virtio().name());
    }

    private static void resetQuietly(VdpaDevice vdpa, String who) {
        try {
            vdpa.reset();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "{0}: reset failed: {1}", who, e.toString());
        }
    }

    private static void close(DmaPool pool, String who) {
        try {
            pool.close();
        } catch (RuntimeException e) {
            // a straggler still inside the memory: leaking it beats failing the remove
            LOG.log(Level.WARNING, "{0}: freeing the DMA pool failed: {1}", who, e.toString());
        }
    }
}
