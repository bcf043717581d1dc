package virtio.vdpa.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import vdpa.bus.VdpaCallback;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VqState;
import virtio.spec.DeviceStatus;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtqueueConfig;
import virtio.ring.DmaPool;
import virtio.ring.RingFeatures;
import virtio.spec.VirtioFeatures;
import virtio.spec.Virtq;

/**
 * A vDPA device seen as a virtio device: the kernel's virtio_vdpa_config_ops, each op forwarded to
 * the matching vDPA config op (get/set config, generation, status, reset, features, find_vqs,
 * del_vqs), plus the DMA pool the bridge mapped for it.
 *
 * <p>Status, feature and queue changes are serialized on one lock; kicks and config reads are not,
 * since the device serializes its own state and a kick is the hot path. After {@link #detach()}
 * (the bridge's remove) nothing reaches the vDPA device any more: it may already belong to another
 * driver. Reset, del_vqs and kicks then do nothing, the rest refuse with an
 * {@link IllegalStateException}, so a late class driver cannot disturb the next owner.
 *
 * <p>Driver callbacks must not call back into status, feature or queue changes on their own thread
 * while another thread resets: a reset waits for callbacks in flight (see {@link QueueGroup}).
 */
final class VdpaVirtioDevice implements VirtioDevice {

    private static final Logger LOG = System.getLogger(VdpaVirtioDevice.class.getName());

    /**
     * What the bridge cannot carry of the transport bits the ring core implements: a notification
     * here is a bare {@link #notifyQueue}, so VIRTIO_F_NOTIFICATION_DATA goes too.
     */
    private static final long NOT_CARRIED = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_NOTIFICATION_DATA);

    private final String name;
    private final VdpaDevice vdpa;
    private final DmaPool pool;
    private final DmaWindow window;
    private final int deviceId;
    private final int vendorId;
    private final int vqCount;
    private final VdpaCallback configCb = this::configInterrupt;

    private final Object lock = new Object();
    private final List<QueueGroup> groups = new ArrayList<>(); // guarded by lock
    private volatile Runnable configHandler;
    private volatile boolean detached;

    VdpaVirtioDevice(String name, VdpaDevice vdpa, DmaPool pool, DmaWindow window) {
        this.name = name;
        this.vdpa = vdpa;
        this.pool = pool;
        this.window = window;
        this.deviceId = vdpa.getDeviceId();
        this.vendorId = vdpa.getVendorId();
        this.vqCount = vdpa.vqCount();
    }

    /** The name on the virtio bus, for messages. */
    String name() {
        return name;
    }

    /**
     * Installs the config interrupt (set_config_cb). The kernel does it in find_vqs; here it is
     * installed for the device's whole binding and re-installed after every reset (a vDPA device
     * may drop it on reset), so the virtio bus's handler, set after the reset that starts a probe,
     * and a driver that resets the device itself both keep receiving config changes.
     */
    void attach() {
        vdpa.setConfigCb(configCb);
    }

    /**
     * Cuts the adapter off the vDPA device (the bridge's remove, after the virtio device left its
     * bus): no op reaches the device afterwards, no driver callback runs once this returns.
     */
    void detach() {
        synchronized (lock) {
            detached = true;
            configHandler = null;
            groups.forEach(QueueGroup::close);
            groups.clear();
        }
    }

    boolean isDetached() {
        return detached;
    }

    private void live() {
        if (detached) {
            throw new IllegalStateException(name + " was removed from its vDPA device");
        }
    }

    // ---------------------------------------------------------------- identity

    @Override public int deviceId() { return deviceId; }
    @Override public int vendorId() { return vendorId; }

    // ---------------------------------------------------------------- status (virtio_vdpa_get_status, _set_status, _reset)

    /** get_status; 0 once detached, since the bridge reset the device on remove. */
    @Override
    public int getStatus() {
        return detached ? 0 : vdpa.getStatus() & 0xff;
    }

    /** set_status; 0 is taken as a reset (the spec's meaning of writing 0) rather than refused. */
    @Override
    public void setStatus(int status) {
        if ((status & 0xff) == 0) {
            reset();
            return;
        }
        synchronized (lock) {
            live();
            vdpa.setStatus(status & 0xff);
        }
    }

    /**
     * vdpa reset: stops routing queue interrupts (waiting for those in flight), resets the device,
     * then restores what a device may drop on reset but this binding keeps: the DMA pool's
     * translation and the config interrupt.
     */
    @Override
    public void reset() {
        synchronized (lock) {
            if (detached) {
                return;
            }
            groups.forEach(QueueGroup::close);
            groups.clear();
            vdpa.reset();
            window.restoreAfterReset();
            vdpa.setConfigCb(configCb);
        }
    }

    // ---------------------------------------------------------------- features

    /** get_device_features. */
    @Override
    public long deviceFeatures() {
        live();
        return vdpa.getDeviceFeatures();
    }

    /**
     * virtio_vdpa_finalize_features: drops the transport bits the ring core does not implement
     * ({@link RingFeatures#transportFeatures}) and those this bridge cannot carry, then
     * set_driver_features.
     */
    @Override
    public long finalizeFeatures(long features) {
        synchronized (lock) {
            live();
            int status = vdpa.getStatus();
            if (!DeviceStatus.DRIVER.in(status) || DeviceStatus.FEATURES_OK.in(status)) {
                throw new IllegalStateException(name + ": features written in status " + DeviceStatus.describe(status));
            }
            long written = RingFeatures.transportFeatures(features) & ~NOT_CARRIED;
            vdpa.setDriverFeatures(written);
            return written;
        }
    }

    /** get_driver_features. */
    @Override
    public long driverFeatures() {
        return detached ? 0 : vdpa.getDriverFeatures();
    }

    // ---------------------------------------------------------------- config space

    @Override
    public int configSize() {
        live();
        return vdpa.getConfigSize();
    }

    /** get_generation (0 for a device without one). */
    @Override
    public int configGeneration() {
        live();
        return vdpa.getGeneration();
    }

    /** get_config. */
    @Override
    public void readConfig(int offset, MemorySegment dst) {
        live();
        vdpa.getConfig(offset, dst);
    }

    /** set_config. */
    @Override
    public void writeConfig(int offset, MemorySegment src) {
        live();
        vdpa.setConfig(offset, src);
    }

    @Override
    public void setConfigChangeHandler(Runnable handler) {
        if (handler != null) {
            live();
        }
        configHandler = handler;
    }

    /** The device's config interrupt (virtio_vdpa_config_cb), on the device's worker. */
    private void configInterrupt() {
        Runnable h = configHandler;
        if (h == null || detached) {
            return;
        }
        try {
            h.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, name + ": config change handler threw", e);
        }
    }

    // ---------------------------------------------------------------- virtqueues

    @Override
    public int queueCount() {
        return vqCount;
    }

    /** get_vq_size, which defaults to get_vq_num_max; 0 outside the device's queues. */
    @Override
    public int queueMaxSize(int index) {
        if (index < 0 || index >= vqCount || detached) {
            return 0;
        }
        return vdpa.getVqSize(index);
    }

    @Override
    public DmaPool dmaPool() {
        return pool;
    }

    /**
     * find_vqs: checks every queue first (so a refusal sets up nothing), then per queue
     * get_vq_ready (must be false: not set up already), set_vq_num, set_vq_address, set_vq_state
     * (the initial split or packed position), set_vq_cb, set_vq_ready(true), and get_vq_ready must
     * then read true. If the device refuses any step, the queues of this call are stopped again.
     */
    @Override
    public void setupQueues(List<VirtqueueConfig> queues) {
        synchronized (lock) {
            live();
            int status = vdpa.getStatus();
            if (!DeviceStatus.FEATURES_OK.in(status) || DeviceStatus.DRIVER_OK.in(status)
                    || DeviceStatus.FAILED.in(status)) {
                throw new IllegalStateException(name + ": queues set up in status " + DeviceStatus.describe(status));
            }
            boolean packed = VirtioFeatures.has(vdpa.getDriverFeatures(), VirtioFeatures.VIRTIO_F_RING_PACKED);
            check(queues, packed);
            VqState initial = VqState.initial(packed);
            QueueGroup group = new QueueGroup(name, queues);
            List<Integer> touched = new ArrayList<>();
            try {
                for (VirtqueueConfig q : queues) {
                    int i = q.index();
                    if (vdpa.getVqReady(i)) {
                        throw new IllegalStateException(name + ": virtqueue " + i + " is already ready on the device");
                    }
                    touched.add(i);
                    vdpa.setVqNum(i, q.size());
                    vdpa.setVqAddress(i, q.descArea(), q.driverArea(), q.deviceArea());
                    vdpa.setVqState(i, initial);
                    vdpa.setVqCb(i, group.route(q));
                    vdpa.setVqReady(i, true);
                    if (!vdpa.getVqReady(i)) {
                        throw new IllegalStateException(name + ": the device did not make virtqueue " + i + " ready");
                    }
                }
            } catch (RuntimeException e) {
                group.close();
                stop(touched);
                throw e;
            }
            groups.add(group);
        }
    }

    /**
     * The refusals that need no device op: range, repeats, queues already set up, sizes, and the
     * areas' alignment in the negotiated layout (2.7, 2.8.10.1).
     */
    private void check(List<VirtqueueConfig> queues, boolean packed) {
        boolean[] seen = new boolean[vqCount];
        for (QueueGroup g : groups) {
            g.queues().forEach(q -> seen[q.index()] = true);
        }
        int min = vdpa.getVqNumMin();
        for (VirtqueueConfig q : queues) {
            int i = q.index();
            if (i >= vqCount || seen[i]) {
                throw new IllegalArgumentException(name + ": virtqueue " + i + " is outside 0.." + (vqCount - 1)
                        + ", repeated or already set up");
            }
            seen[i] = true;
            int max = vdpa.getVqSize(i);
            if (q.size() < min || q.size() > max) {
                throw new IllegalArgumentException(name + ": virtqueue " + i + " size " + q.size() + " is outside "
                        + min + ".." + max);
            }
            String misaligned = Virtq.misalignment(packed, q.descArea(), q.driverArea(), q.deviceArea());
            if (misaligned != null) {
                throw new IllegalArgumentException(name + ": virtqueue " + i + ": " + misaligned);
            }
        }
    }

    /** kick_vq. Ignored once detached: the device may have another owner. */
    @Override
    public void notifyQueue(int index) {
        if (!detached) {
            vdpa.kickVq(index);
        }
    }

    /**
     * del_vqs: set_vq_ready(false) and set_vq_cb(null) for every queue still set up, best effort
     * (the device is normally reset already). Idempotent.
     */
    @Override
    public void deleteQueues() {
        synchronized (lock) {
            if (detached) {
                return;
            }
            List<Integer> indices = new ArrayList<>();
            for (QueueGroup g : groups) {
                g.close();
                g.queues().forEach(q -> indices.add(q.index()));
            }
            groups.clear();
            stop(indices);
        }
    }

    private void stop(List<Integer> indices) {
        for (int i : indices) {
            try {
                vdpa.setVqReady(i, false);
                vdpa.setVqCb(i, null);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "{0}: stopping virtqueue {1} failed: {2}", name, i, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return name + " over a vDPA device (" + window.kind().op + ")";
    }
}
