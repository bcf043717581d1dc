package vdpa.sim.internal;

import static virtio.net.api.Ethernet.ETH_HLEN;
import static virtio.spec.VirtioIds.VIRTIO_ID_NET;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_RX;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_VQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MRG_RXBUF;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import vdpa.sim.model.NetModel;
import virtio.net.api.MacAddress;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;
import virtio.ring.work.WorkerPool;

/**
 * A simulated virtio-net vDPA device (the kernel's vdpa_sim_net.c): the net config space, the
 * feature dependencies of virtio 1.2 section 5.1.3.1, the queue layout, and the datapath in
 * {@link NetDatapath} (with its {@link ControlQueue}) that {@link SimDevice}'s job runs; the
 * wire is a {@link Port}. Everything here is guarded by {@link SimDevice#lock}.
 *
 * <p>The same device serves the vDPA bus (created by {@link SimNetMgmtDevice#add}) and other
 * transports as a {@link NetModel} ({@link SimNetMgmtDevice#create}); only who calls its config
 * ops differs.
 */
public final class SimNetDevice extends SimDevice implements NetModel {

    final NetParams params;
    final RxFilter filter = new RxFilter();
    final Port port;
    private final NetConfigSpace config;
    private final NetDatapath datapath;
    /** The link the port is plugged into, set by whoever plugs it (the management device). */
    volatile Link link;
    /** What {@link #close()} does: for a model, unplug and stop; set by its creator. */
    volatile Runnable release = this::stop;

    private int activePairs = 1;

    /** A stopped device whose datapath runs on {@code pool}; {@link #start()} starts it. */
    SimNetDevice(NetParams params, WorkerPool pool) {
        // every queue the device could lay out: MQ and CTRL_VQ are always offered
        super(params.name(), VirtioNet.queueCount(SimNetFeatures.OFFERED, params.maxVqp()), params.features(), pool);
        this.params = params;
        QueueStats[] rx = new QueueStats[params.maxVqp()];
        for (int p = 0; p < rx.length; p++) {
            rx[p] = vqs[2 * p].stats;
        }
        this.config = new NetConfigSpace(params.mac(), params.maxVqp(), params.mtu());
        this.filter.reset(params.mac().value());
        this.port = new Port(params.name(), rx, params.mtu() + ETH_HLEN, worker::schedule, this::linkChanged);
        this.datapath = new NetDatapath(this);
    }

    @Override
    boolean work() {
        return datapath.pass();
    }

    @Override
    void afterRound() {
        datapath.wakePeer();
    }

    // ================================================================ state the datapath reads (under the lock)

    /** Queue pairs in the layout (virtio 1.2 section 5.1.2). */
    int layoutPairs() {
        return VirtioNet.queuePairs(negotiatedFeatures(), params.maxVqp());
    }

    /** The control queue's index, after the layout's pairs; -1 without CTRL_VQ. */
    int ctrlIndex() {
        return VirtioNet.controlQueue(negotiatedFeatures(), params.maxVqp());
    }

    boolean mergeable() {
        return negotiated(VIRTIO_NET_F_MRG_RXBUF);
    }

    long maxFrame() {
        return params.mtu() + (long) ETH_HLEN;
    }

    /** VIRTIO_NET_CTRL_MAC_ADDR_SET: the filter's and config space's address; false for a multicast one. */
    boolean setMacFromDriver(long mac) {
        if (MacAddress.isMulticast(mac)) {
            return false;
        }
        filter.mac = mac;
        if (config.setMac(mac)) {
            configChanged();
        }
        return true;
    }

    /** VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET: false outside 1..max_virtqueue_pairs. */
    boolean setActivePairs(int n) {
        if (n < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || n > params.maxVqp()) {
            return false;
        }
        activePairs = n;
        stateChanged();
        return true;
    }

    /**
     * The port receives while the device is live: a suspended device still takes frames into its
     * FIFOs (their senders feel back-pressure when they fill), one not live drops them.
     */
    @Override
    void stateChanged() {
        port.receiveOn(negotiated(VIRTIO_NET_F_MQ) ? activePairs : 1, live());
    }

    private void linkChanged(boolean up) {
        synchronized (lock) {
            if (config.setLinkUp(up)) {
                configChanged();
            }
        }
        // a transmit queue paused on the old peer's FIFO looks again: at the new peer, or link down
        worker.schedule();
    }

    /** The dependencies of section 5.1.3.1. */
    @Override
    boolean acceptableFeatures(long f) {
        boolean cvq = VirtioFeatures.has(f, VIRTIO_NET_F_CTRL_VQ);
        return (cvq || !VirtioFeatures.has(f, VIRTIO_NET_F_CTRL_RX))
                && (cvq || !VirtioFeatures.has(f, VIRTIO_NET_F_CTRL_MAC_ADDR))
                && (cvq || !VirtioFeatures.has(f, VIRTIO_NET_F_MQ));
    }

    /** Frames waiting for the driver are dropped and counted; filter and MAC go back to the configured ones. */
    @Override
    void resetDevice() {
        activePairs = 1;
        port.discard();
        filter.reset(params.mac().value());
        if (config.setMac(params.mac().value())) {
            configChanged();
        }
    }

    // ================================================================ model

    @Override
    public String link() {
        Link l = link;
        return l == null ? "-" : l.spec();
    }

    @Override
    public boolean linkUp() {
        return port.peer() != null;
    }

    @Override
    public void close() {
        release.run();
    }

    // ================================================================ device ops

    @Override public int getDeviceId() { return VIRTIO_ID_NET; }
    @Override public int getConfigSize() { return NetConfigSpace.SIZE; }

    @Override
    void readConfig(int offset, MemorySegment dst) {
        config.read(offset, dst);
    }

    /** Every virtio-net config field is read-only to a modern driver: the write is refused. */
    @Override
    boolean writeConfig(int offset, MemorySegment src) {
        return false;
    }

    /** The counters of the queue's role: rx, tx, or control (by the negotiated layout, else max_vqp's). */
    @Override
    public Map<String, Long> vendorVqStats(int idx) {
        synchronized (lock) {
            SimVirtqueue q = vq(idx);
            int ctrl = featuresOk() ? ctrlIndex() : VirtioNet.controlQueue(SimNetFeatures.OFFERED, params.maxVqp());
            Stat.Role role = idx == ctrl ? Stat.Role.CTRL : idx % 2 == 0 ? Stat.Role.RX : Stat.Role.TX;
            return q.stats.snapshot(role);
        }
    }
}
