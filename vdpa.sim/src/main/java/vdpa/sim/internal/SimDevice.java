package vdpa.sim.internal;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import vdpa.bus.IotlbMapping;
import vdpa.bus.Iotlb;
import vdpa.bus.IovaRange;
import vdpa.bus.VdpaCallback;
import vdpa.bus.VdpaDmaMapOps;
import vdpa.bus.VdpaResetMapOps;
import vdpa.bus.VdpaSetMapOps;
import vdpa.bus.VdpaSuspendOps;
import vdpa.bus.VqState;
import virtio.ring.AddressSpace;
import virtio.ring.RingErrorCounter;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.Virtq;
import virtio.ring.work.WorkerPool;

/**
 * The generic half of a simulated vDPA device (the kernel's vdpa_sim.c): status, features,
 * virtqueues, DMA, suspend, vq state, config generation and callback, and the job that runs the
 * device class's datapath on the management device's {@link WorkerPool} (the kernel's vdpasim
 * work item: no thread of its own, a worker when kicked). A device class (the kernel's vdpa_sim_net.c, here
 * {@link SimNetDevice}) supplies its config space, its feature rules and one datapath round.
 *
 * <p>One lock guards all state; the job holds it for each round, so every config op sees the
 * datapath between rounds, and callbacks (used buffers, config changes) run under it as in the
 * kernel's vdpasim: when {@link #reset()} returns, no callback is running or will run for the old
 * state. {@link #kickVq} takes no lock. Memory is reached only through the device's
 * {@link AddressSpace}, filled by dma_map or set_map; reset keeps it (as vdpasim does since
 * reset_map exists), {@link #compatReset} with {@link #RESET_F_CLEAN_MAP} and
 * {@link #resetMap} empty it.
 */
abstract class SimDevice implements VdpaDmaMapOps, VdpaSetMapOps, VdpaResetMapOps, VdpaSuspendOps {

    /**
     * Largest virtqueue size: the kernel's vdpa_sim's (VDPASIM_QUEUE_MAX). The bridge sizes a
     * device's DMA pool for queues of this size, so a larger one costs every device its memory.
     */
    static final int VQ_NUM_MAX = 256;
    /**
     * The ring core checks each area's spec alignment; the device needs no more than the largest,
     * the descriptor area's, 16 bytes in both layouts (2.7, 2.8.10.1).
     */
    static final int VQ_ALIGN = Math.max(Virtq.descAreaAlign(false), Virtq.descAreaAlign(true));
    static final System.Logger LOG = System.getLogger("vdpa.sim");

    final AddressSpace space = new AddressSpace();
    final RingErrorCounter ringErrors;
    final SimVirtqueue[] vqs;
    /** Guards everything below and the device class's state. */
    final Object lock = new Object();
    /** The datapath: one round per run, scheduled by kicks, frames for it, state changes. */
    final WorkerPool.Job worker;
    private final String name;
    private final long offered;
    private final DmaTable dma = new DmaTable(space, lock);
    private final AtomicLong configRefused = new AtomicLong();

    private int status;
    private long driverFeatures;
    private boolean suspended;
    private VdpaCallback configCb;
    private int generation;

    /** Bound on waiting for a datapath round in flight when the device closes. */
    private static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(10);

    /**
     * A stopped device of {@code vqCount} queues offering {@code offered}, its datapath a job of
     * {@code pool}; {@link #start()} runs its first round.
     */
    SimDevice(String name, int vqCount, long offered, WorkerPool pool) {
        this.name = name;
        this.offered = offered;
        this.ringErrors = new RingErrorCounter(name);
        this.vqs = new SimVirtqueue[vqCount];
        for (int i = 0; i < vqs.length; i++) {
            vqs[i] = new SimVirtqueue(i);
        }
        this.worker = pool.job("vdpasim " + name, this::round);
    }

    // ================================================================ what the device class supplies

    /** One datapath round, under the lock; returns whether anything was done. */
    abstract boolean work();

    /** After each round, outside the lock: wake whoever the round left work for. */
    abstract void afterRound();

    /** The class's own feature rules (dependencies); offered and VERSION_1 are checked already. */
    abstract boolean acceptableFeatures(long features);

    /** The class's part of reset, under the lock, after the generic state is back to zero. */
    abstract void resetDevice();

    /** Status, suspension or the class's own state moved; under the lock. */
    abstract void stateChanged();

    /** Copies out config space bytes already checked against {@link #getConfigSize()}; under the lock. */
    abstract void readConfig(int offset, MemorySegment dst);

    /** Applies a config write already checked against {@link #getConfigSize()}; false if refused. */
    abstract boolean writeConfig(int offset, MemorySegment src);

    void start() { worker.schedule(); }

    /** Resets the device and stops its datapath, waiting (bounded) for a round in flight; the device must be off the bus. */
    void stop() {
        synchronized (lock) {
            resetLocked();
        }
        if (!worker.cancel(STOP_WAIT)) {
            LOG.log(System.Logger.Level.WARNING, "vdpasim {0}: a datapath round did not end within {1} s", name,
                    STOP_WAIT.toSeconds());
        }
    }

    public String name() { return name; }

    /** Config accesses refused: outside config space, or writes the class refuses. */
    public long configRefused() { return configRefused.get(); }

    private boolean round() {
        boolean progress;
        synchronized (lock) {
            try {
                progress = work();
            } catch (RuntimeException e) {
                // a bug here must not stop the datapath of others: this device stops and asks for a reset
                LOG.log(System.Logger.Level.ERROR, "vdpasim " + name + ": datapath failed", e);
                needsReset("datapath failed: " + e);
                progress = false;
            }
        }
        afterRound();
        return progress;
    }

    // ================================================================ state the datapath reads (under the lock)

    /** See {@link DeviceStatusRules#live}. */
    boolean live() { return DeviceStatusRules.live(status); }
    /** Live and not suspended: the datapath runs. */
    boolean running() { return DeviceStatusRules.live(status) && !suspended; }
    long driverFeatures() { return driverFeatures; }
    /** The driver features once FEATURES_OK is set, else 0: what the layout follows. */
    long negotiatedFeatures() { return DeviceStatus.FEATURES_OK.in(status) ? driverFeatures : 0; }
    boolean featuresOk() { return DeviceStatus.FEATURES_OK.in(status); }

    /** Whether the feature was accepted (FEATURES_OK is set and the driver features hold it). */
    boolean negotiated(int bit) {
        return DeviceStatus.FEATURES_OK.in(status) && VirtioFeatures.has(driverFeatures, bit);
    }

    /** Sets DEVICE_NEEDS_RESET (the driver wrote something refused) and tells the driver. */
    void needsReset(String why) {
        if (!DeviceStatus.DEVICE_NEEDS_RESET.in(status)) {
            LOG.log(System.Logger.Level.WARNING, "vdpasim {0}: DEVICE_NEEDS_RESET: {1}", name, why);
            status |= DeviceStatus.DEVICE_NEEDS_RESET.value();
            stateChanged();
            fireConfig();
        }
    }

    /** A used buffer notification on {@code vq}. */
    void interrupt(SimVirtqueue vq) {
        VdpaCallback cb = vq.cb;
        if (cb != null) {
            vq.stats.inc(Stat.INTERRUPTS);
            call(cb);
        }
    }

    /** The device changed config space: the generation moves and a live driver is told. */
    void configChanged() {
        generation++;
        fireConfig();
    }

    private void fireConfig() {
        if (DeviceStatus.DRIVER_OK.in(status) && configCb != null) {
            call(configCb);
        }
    }

    private void call(VdpaCallback cb) {
        try {
            cb.interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "vdpasim " + name + ": a driver callback threw", e);
        }
    }

    SimVirtqueue vq(int idx) {
        if (idx < 0 || idx >= vqs.length) {
            throw new IllegalArgumentException("virtqueue " + idx + " is outside 0.." + (vqs.length - 1));
        }
        return vqs[idx];
    }

    // ================================================================ virtqueue ops

    @Override
    public void setVqAddress(int idx, long descArea, long driverArea, long deviceArea) {
        synchronized (lock) {
            vq(idx).setAddress(descArea, driverArea, deviceArea);
        }
    }

    @Override
    public void setVqNum(int idx, int num) {
        synchronized (lock) {
            vq(idx).setNum(num, VQ_NUM_MAX);
        }
    }

    @Override
    public void kickVq(int idx) {
        vq(idx).stats.inc(Stat.KICKS);
        worker.schedule();
    }

    @Override
    public void setVqCb(int idx, VdpaCallback cb) {
        synchronized (lock) {
            vq(idx).cb = cb;
        }
    }

    /** Ready is recorded as given; the ring opens (and is checked) when the device runs. */
    @Override
    public void setVqReady(int idx, boolean ready) {
        synchronized (lock) {
            SimVirtqueue q = vq(idx);
            q.ready = ready;
            if (!ready) {
                q.close();
            }
        }
        worker.schedule();
    }

    @Override
    public boolean getVqReady(int idx) {
        synchronized (lock) {
            return vq(idx).ready;
        }
    }

    @Override
    public void setVqState(int idx, VqState state) {
        Objects.requireNonNull(state, "state");
        synchronized (lock) {
            Boolean packed = DeviceStatus.FEATURES_OK.in(status)
                    ? VirtioFeatures.has(driverFeatures, VirtioFeatures.VIRTIO_F_RING_PACKED) : null;
            vq(idx).restore(state, packed, suspended);
        }
    }

    @Override
    public VqState getVqState(int idx) {
        synchronized (lock) {
            return vq(idx).state();
        }
    }

    // ================================================================ device ops

    @Override public int getVendorId() { return 0; }
    @Override public int vqCount() { return vqs.length; }
    @Override public int getVqAlign() { return VQ_ALIGN; }
    @Override public long getDeviceFeatures() { return offered; }
    @Override public int getVqNumMax() { return VQ_NUM_MAX; }
    @Override public IovaRange getIovaRange() { return DmaTable.IOVA_RANGE; }

    @Override
    public void setDriverFeatures(long features) {
        synchronized (lock) {
            if (!DeviceStatus.DRIVER.in(status) || DeviceStatus.FEATURES_OK.in(status)) {
                throw new IllegalStateException("driver features written in status 0x" + Integer.toHexString(status));
            }
            driverFeatures = features;
        }
    }

    @Override
    public long getDriverFeatures() {
        synchronized (lock) {
            return driverFeatures;
        }
    }

    @Override
    public void setConfigCb(VdpaCallback cb) {
        synchronized (lock) {
            configCb = cb;
        }
    }

    @Override
    public int getStatus() {
        synchronized (lock) {
            return status;
        }
    }

    /** 0 resets; anything else moves as {@link DeviceStatusRules#next} says. */
    @Override
    public void setStatus(int requested) {
        synchronized (lock) {
            if (requested == 0) {
                resetLocked();
                return;
            }
            status = DeviceStatusRules.next(status, requested, acceptable(driverFeatures));
            if (DeviceStatus.FAILED.in(status)) {
                for (SimVirtqueue q : vqs) {
                    q.close();
                }
            }
            stateChanged();
        }
        worker.schedule();
    }

    /** Offered, VERSION_1 (a modern-only device), and the class's dependencies. */
    private boolean acceptable(long f) {
        return (f & ~offered) == 0 && VirtioFeatures.has(f, VirtioFeatures.VIRTIO_F_VERSION_1) && acceptableFeatures(f);
    }

    @Override
    public void reset() {
        synchronized (lock) {
            resetLocked();
        }
    }

    @Override
    public void compatReset(int flags) {
        synchronized (lock) {
            resetLocked();
            if ((flags & RESET_F_CLEAN_MAP) != 0) {
                dma.clear();
            }
        }
    }

    /** Everything the driver set goes (the class drops and counts what waited for it); mappings stay. */
    private void resetLocked() {
        status = 0;
        driverFeatures = 0;
        suspended = false;
        for (SimVirtqueue q : vqs) {
            q.reset();
        }
        resetDevice();
        stateChanged();
    }

    @Override
    public void getConfig(int offset, MemorySegment dst) {
        if (!insideConfig(offset, dst.byteSize())) {
            throw refused(offset, dst.byteSize());
        }
        synchronized (lock) {
            readConfig(offset, dst);
        }
    }

    /** A write the class refuses is counted and ignored; one outside config space is counted and thrown. */
    @Override
    public void setConfig(int offset, MemorySegment src) {
        if (!insideConfig(offset, src.byteSize())) {
            throw refused(offset, src.byteSize());
        }
        synchronized (lock) {
            if (!writeConfig(offset, src)) {
                configRefused.incrementAndGet();
            }
        }
    }

    private boolean insideConfig(int offset, long length) {
        return offset >= 0 && length >= 0 && offset + length <= getConfigSize();
    }

    private IndexOutOfBoundsException refused(int offset, long length) {
        configRefused.incrementAndGet();
        return new IndexOutOfBoundsException("config [" + offset + ", +" + length + ") outside " + getConfigSize());
    }

    @Override
    public int getGeneration() {
        synchronized (lock) {
            return generation;
        }
    }

    // ================================================================ suspend

    @Override
    public void suspend() {
        synchronized (lock) {
            suspended = true;
            stateChanged();
        }
    }

    @Override
    public void resume() {
        synchronized (lock) {
            suspended = false;
            stateChanged();
        }
        worker.schedule();
    }

    // ================================================================ DMA

    @Override public void dmaMap(int asid, IotlbMapping mapping) { dma.map(asid, mapping); }
    @Override public void dmaUnmap(int asid, long iova, long size) { dma.unmap(asid, iova, size); }
    @Override public void setMap(int asid, Iotlb iotlb) { dma.replace(asid, iotlb); }
    @Override public void resetMap(int asid) { dma.reset(asid); }
}
