package vdpa.sim.internal;

import static virtio.net.api.VirtioNetWire.ETH_HLEN;
import static virtio.net.api.VirtioNetWire.VIRTIO_ID_NET;
import static virtio.net.api.VirtioNetWire.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN;
import static virtio.net.api.VirtioNetWire.VIRTIO_NET_F_CTRL_MAC_ADDR;
import static virtio.net.api.VirtioNetWire.VIRTIO_NET_F_CTRL_RX;
import static virtio.net.api.VirtioNetWire.VIRTIO_NET_F_CTRL_VQ;
import static virtio.net.api.VirtioNetWire.VIRTIO_NET_F_MQ;
import static virtio.net.api.VirtioNetWire.VIRTIO_NET_F_MRG_RXBUF;

import java.lang.foreign.MemorySegment;
import java.util.Map;
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
import vdpa.bus.VdpaVendorStatsOps;
import vdpa.bus.VqState;
import virtio.ring.AddressSpace;
import virtio.ring.RingErrorCounter;
import virtio.ring.VirtioRingFeatures;

/**
 * A simulated virtio-net vDPA device (the kernel's vdpa_sim_net): the config ops here, the
 * datapath in {@link NetDatapath} on its own {@link Worker}, the wire in a {@link Port}.
 *
 * <p>One lock guards all state; the worker holds it for each round, so every config op sees the
 * datapath between rounds, and callbacks (used buffers, config changes) run under it as in the
 * kernel's vdpasim: when {@link #reset()} returns, no callback is running or will run for the old
 * state. {@link #kickVq} takes no lock. Memory is reached only through the device's
 * {@link AddressSpace}, filled by dma_map or set_map; reset keeps it (as vdpasim does since
 * reset_map exists), {@link #compatReset} with {@link #RESET_F_CLEAN_MAP} and
 * {@link #resetMap} empty it.
 */
public final class SimNetDevice implements VdpaDmaMapOps, VdpaSetMapOps, VdpaResetMapOps, VdpaSuspendOps,
        VdpaVendorStatsOps {

    /** Largest virtqueue size. */
    static final int VQ_NUM_MAX = 1024;
    /** The ring core checks each area's spec alignment (16 for descriptors); the device needs no more. */
    static final int VQ_ALIGN = 16;
    private static final System.Logger LOG = System.getLogger("vdpa.sim");

    final NetParams params;
    final AddressSpace space = new AddressSpace();
    private final DmaTable dma = new DmaTable(space);
    final RingErrorCounter ringErrors;
    final SimVirtqueue[] vqs;
    final RxFilter filter = new RxFilter();
    final Port port;
    private final Object lock = new Object();
    private final NetConfigSpace config;
    private final NetDatapath datapath;
    private final Worker worker;
    private final AtomicLong configRefused = new AtomicLong();

    private int status;
    private long driverFeatures;
    private boolean suspended;
    private VdpaCallback configCb;
    private int activePairs = 1;

    /** A stopped device; {@link #start()} starts its worker. */
    SimNetDevice(NetParams params) {
        this.params = params;
        this.ringErrors = new RingErrorCounter(params.name());
        this.vqs = new SimVirtqueue[2 * params.maxVqp() + 1];
        QueueStats[] rx = new QueueStats[params.maxVqp()];
        for (int i = 0; i < vqs.length; i++) {
            vqs[i] = new SimVirtqueue(i);
            if (i % 2 == 0 && i / 2 < rx.length) {
                rx[i / 2] = vqs[i].stats;
            }
        }
        this.config = new NetConfigSpace(params.mac(), params.maxVqp(), params.mtu());
        this.filter.reset(params.mac().value());
        this.worker = new Worker(params.name(), this::round);
        this.port = new Port(params.name(), rx, () -> worker.wake(), this::linkChanged);
        this.datapath = new NetDatapath(this);
    }

    void start() {
        worker.start();
    }

    /** Stops the worker; the device must be off the bus and its port unplugged. */
    void close() {
        synchronized (lock) {
            resetLocked();
        }
        worker.stop();
    }

    String name() {
        return params.name();
    }

    /** Config accesses refused: outside config space, or writes (every field is read-only). */
    long configRefused() {
        return configRefused.get();
    }

    private boolean round() {
        boolean progress;
        synchronized (lock) {
            try {
                progress = datapath.pass();
            } catch (RuntimeException e) {
                // a bug here must not kill the worker: the device stops and asks for a reset
                LOG.log(System.Logger.Level.ERROR, "vdpasim " + name() + ": datapath failed", e);
                needsReset("datapath failed: " + e);
                progress = false;
            }
        }
        datapath.wakePeer();
        return progress;
    }

    // ================================================================ state the datapath reads (under the lock)

    boolean running() {
        return DeviceStatus.DRIVER_OK.in(status) && !DeviceStatus.DEVICE_NEEDS_RESET.in(status)
                && !DeviceStatus.FAILED.in(status) && !suspended;
    }

    long driverFeatures() {
        return driverFeatures;
    }

    /** Whether the feature was accepted (FEATURES_OK is set and the driver features hold it). */
    boolean negotiated(int bit) {
        return DeviceStatus.FEATURES_OK.in(status) && SimNetFeatures.has(driverFeatures, bit);
    }

    /** Queue pairs in the layout (virtio 1.2 section 5.1.2): max_virtqueue_pairs with MQ, else 1. */
    int layoutPairs() {
        return negotiated(VIRTIO_NET_F_MQ) ? params.maxVqp() : 1;
    }

    /** The control queue's index, after the layout's pairs; -1 without CTRL_VQ. */
    int ctrlIndex() {
        return negotiated(VIRTIO_NET_F_CTRL_VQ) ? 2 * layoutPairs() : -1;
    }

    boolean mergeable() {
        return negotiated(VIRTIO_NET_F_MRG_RXBUF);
    }

    long maxFrame() {
        return params.mtu() + (long) ETH_HLEN;
    }

    /** Sets DEVICE_NEEDS_RESET (the driver wrote something refused) and tells the driver. */
    void needsReset(String why) {
        if (!DeviceStatus.DEVICE_NEEDS_RESET.in(status)) {
            LOG.log(System.Logger.Level.WARNING, "vdpasim {0}: DEVICE_NEEDS_RESET: {1}", name(), why);
            status |= DeviceStatus.DEVICE_NEEDS_RESET.bit;
            updatePort();
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

    /** VIRTIO_NET_CTRL_MAC_ADDR_SET: the filter's and config space's address; false for a multicast one. */
    boolean setMacFromDriver(long mac) {
        if ((mac & (1L << 40)) != 0) {
            return false;
        }
        filter.mac = mac;
        if (config.setMac(mac)) {
            fireConfig();
        }
        return true;
    }

    /** VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET: false outside 1..max_virtqueue_pairs. */
    boolean setActivePairs(int n) {
        if (n < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || n > params.maxVqp()) {
            return false;
        }
        activePairs = n;
        updatePort();
        return true;
    }

    private void updatePort() {
        port.receiveOn(negotiated(VIRTIO_NET_F_MQ) ? activePairs : 1, running());
    }

    private void linkChanged(boolean up) {
        synchronized (lock) {
            if (config.setLinkUp(up)) {
                fireConfig();
            }
        }
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
            LOG.log(System.Logger.Level.WARNING, "vdpasim " + name() + ": a driver callback threw", e);
        }
    }

    private SimVirtqueue vq(int idx) {
        if (idx < 0 || idx >= vqs.length) {
            throw new IllegalArgumentException("virtqueue " + idx + " is outside 0.." + (vqs.length - 1));
        }
        return vqs[idx];
    }

    // ================================================================ virtqueue ops

    @Override
    public void setVqAddress(int idx, long descArea, long driverArea, long deviceArea) {
        synchronized (lock) {
            SimVirtqueue q = vq(idx);
            if (q.ring != null) {
                throw new IllegalStateException("virtqueue " + idx + " is running");
            }
            q.descArea = descArea;
            q.driverArea = driverArea;
            q.deviceArea = deviceArea;
            q.addressed = true;
        }
    }

    @Override
    public void setVqNum(int idx, int num) {
        synchronized (lock) {
            SimVirtqueue q = vq(idx);
            if (num < 1 || num > VQ_NUM_MAX) {
                throw new IllegalArgumentException("virtqueue size " + num + " is outside 1.." + VQ_NUM_MAX);
            }
            if (q.ring != null) {
                throw new IllegalStateException("virtqueue " + idx + " is running");
            }
            q.num = num;
        }
    }

    @Override
    public void kickVq(int idx) {
        vq(idx).stats.inc(Stat.KICKS);
        worker.wake();
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
        worker.wake();
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
            SimVirtqueue q = vq(idx);
            if (q.ring != null && !suspended) {
                throw new IllegalStateException("virtqueue " + idx + " is running: suspend it or make it not ready first");
            }
            if (DeviceStatus.FEATURES_OK.in(status)
                    && (state instanceof VqState.Packed) != SimNetFeatures.has(driverFeatures, VirtioRingFeatures.VIRTIO_F_RING_PACKED)) {
                throw new IllegalArgumentException("virtqueue " + idx + ": " + state + " does not match the negotiated ring layout");
            }
            q.ring = null;
            q.saved = state;
        }
    }

    @Override
    public VqState getVqState(int idx) {
        synchronized (lock) {
            return vq(idx).state();
        }
    }

    // ================================================================ device ops

    @Override public int getDeviceId() { return VIRTIO_ID_NET; }
    @Override public int getVendorId() { return 0; }
    @Override public int vqCount() { return vqs.length; }
    @Override public int getVqAlign() { return VQ_ALIGN; }
    @Override public long getDeviceFeatures() { return params.features(); }
    @Override public int getVqNumMax() { return VQ_NUM_MAX; }
    @Override public int getConfigSize() { return NetConfigSpace.SIZE; }
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

    /**
     * The status transitions (virtio 1.2 section 3.1.1): bits accumulate until reset (0 resets);
     * FEATURES_OK sticks only for acceptable driver features; DRIVER_OK only after FEATURES_OK;
     * DEVICE_NEEDS_RESET is the device's alone. The device runs while DRIVER_OK is set and neither
     * NEEDS_RESET nor FAILED is, and it is not suspended.
     */
    @Override
    public void setStatus(int requested) {
        synchronized (lock) {
            if (requested == 0) {
                resetLocked();
                return;
            }
            int old = status;
            int next = ((requested & 0xff) & ~DeviceStatus.DEVICE_NEEDS_RESET.bit) | old;
            if (DeviceStatus.FEATURES_OK.in(next) && !DeviceStatus.FEATURES_OK.in(old) && !acceptable(driverFeatures)) {
                next &= ~DeviceStatus.FEATURES_OK.bit;
            }
            if (DeviceStatus.DRIVER_OK.in(next) && !DeviceStatus.FEATURES_OK.in(next)) {
                next &= ~DeviceStatus.DRIVER_OK.bit;
            }
            status = next;
            if (DeviceStatus.FAILED.in(next)) {
                for (SimVirtqueue q : vqs) {
                    q.close();
                }
            }
            updatePort();
        }
        worker.wake();
    }

    /** Offered, VERSION_1 (a modern-only device), and the dependencies of section 5.1.3.1. */
    private boolean acceptable(long f) {
        boolean cvq = SimNetFeatures.has(f, VIRTIO_NET_F_CTRL_VQ);
        return (f & ~params.features()) == 0 && SimNetFeatures.has(f, VirtioRingFeatures.VIRTIO_F_VERSION_1)
                && (cvq || !SimNetFeatures.has(f, VIRTIO_NET_F_CTRL_RX))
                && (cvq || !SimNetFeatures.has(f, VIRTIO_NET_F_CTRL_MAC_ADDR))
                && (cvq || !SimNetFeatures.has(f, VIRTIO_NET_F_MQ));
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

    /** Everything the driver set goes; frames waiting for it are dropped and counted; mappings stay. */
    private void resetLocked() {
        status = 0;
        driverFeatures = 0;
        suspended = false;
        activePairs = 1;
        for (SimVirtqueue q : vqs) {
            q.reset();
        }
        for (int p = 0; p < port.fifoCount(); p++) {
            vqs[2 * p].stats.add(Stat.RX_DROP_NOT_READY, port.fifo(p).clear());
        }
        filter.reset(params.mac().value());
        config.setMac(params.mac().value());
        updatePort();
    }

    @Override
    public void getConfig(int offset, MemorySegment dst) {
        if (!NetConfigSpace.inside(offset, dst.byteSize())) {
            configRefused.incrementAndGet();
            throw new IndexOutOfBoundsException("config [" + offset + ", +" + dst.byteSize() + ") outside " + NetConfigSpace.SIZE);
        }
        synchronized (lock) {
            config.read(offset, dst);
        }
    }

    /** Every virtio-net config field is read-only to a modern driver: the write is checked, counted and ignored. */
    @Override
    public void setConfig(int offset, MemorySegment src) {
        configRefused.incrementAndGet();
        if (!NetConfigSpace.inside(offset, src.byteSize())) {
            throw new IndexOutOfBoundsException("config [" + offset + ", +" + src.byteSize() + ") outside " + NetConfigSpace.SIZE);
        }
    }

    @Override
    public int getGeneration() {
        synchronized (lock) {
            return config.generation();
        }
    }

    // ================================================================ suspend

    @Override
    public void suspend() {
        synchronized (lock) {
            suspended = true;
            updatePort();
        }
    }

    @Override
    public void resume() {
        synchronized (lock) {
            suspended = false;
            updatePort();
        }
        worker.wake();
    }

    // ================================================================ vendor statistics

    /** The counters of the queue's role: rx, tx, or control (by the negotiated layout, else max_vqp's). */
    @Override
    public Map<String, Long> vendorVqStats(int idx) {
        synchronized (lock) {
            SimVirtqueue q = vq(idx);
            int ctrl = DeviceStatus.FEATURES_OK.in(status) ? ctrlIndex() : 2 * params.maxVqp();
            Stat.Role role = idx == ctrl ? Stat.Role.CTRL : idx % 2 == 0 ? Stat.Role.RX : Stat.Role.TX;
            return q.stats.snapshot(role);
        }
    }

    // ================================================================ DMA

    @Override
    public void dmaMap(int asid, IotlbMapping mapping) {
        DmaTable.checkAsid(asid);
        synchronized (lock) {
            dma.map(mapping);
        }
    }

    @Override
    public void dmaUnmap(int asid, long iova, long size) {
        DmaTable.checkAsid(asid);
        synchronized (lock) {
            dma.unmap(iova, size);
        }
    }

    @Override
    public void setMap(int asid, Iotlb iotlb) {
        DmaTable.checkAsid(asid);
        synchronized (lock) {
            dma.replace(iotlb);
        }
    }

    @Override
    public void resetMap(int asid) {
        DmaTable.checkAsid(asid);
        synchronized (lock) {
            dma.clear();
        }
    }
}
