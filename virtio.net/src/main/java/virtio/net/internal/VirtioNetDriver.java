package virtio.net.internal;

import static virtio.net.api.Ethernet.ETH_HLEN;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_MAC_ADDR;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_RX;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_VQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MRG_RXBUF;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_STATUS;
import static virtio.spec.VirtioNet.VIRTIO_NET_MIN_MTU;
import static virtio.spec.VirtioNet.validMaxVirtqueuePairs;
import static virtio.spec.VirtioNetHdr.VIRTIO_NET_HDR_SIZE;

import driver.core.DeviceContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import virtio.bus.AbstractVirtioDriver;
import virtio.bus.ConfigSpace;
import virtio.bus.VirtioDevice;
import virtio.net.api.NetDevice;
import virtio.net.api.NetDeviceException;
import virtio.spec.VirtioFeatures;
import virtio.ring.work.WorkerPool;

/**
 * The virtio-net class driver (the kernel's drivers/net/virtio_net.c): negotiates, sets up the
 * queue pairs and the control queue on probe, publishes a {@link NetDevice}, and takes it all
 * down again on remove. Plain Java; {@link VirtioNetComponent} is its DS face.
 *
 * <p>Threads: probe and remove run on the bus's thread. Each queue pair is a job
 * ({@link QueuePair}) of one {@link WorkerPool} per driver ({@link #DATAPATH_WORKERS} threads named
 * {@code virtio_net-N}, whatever the number of devices); virtqueue callbacks only schedule it.
 * Config changes (link status) are read and published on one config thread per driver, so the
 * device's notification thread never waits for service listeners.
 */
public class VirtioNetDriver extends AbstractVirtioDriver {

    /** The driver's name on the virtio bus. */
    public static final String NAME = "virtio_net";
    /** Device property that names the interface; without it the driver picks {@code ethN}. */
    public static final String NET_NAME_PROPERTY = "net.name";

    /** The feature table: device bits the driver implements; transport bits it can handle in its ring. */
    static final long FEATURES = VirtioFeatures.bits(VIRTIO_NET_F_MAC, VIRTIO_NET_F_MTU, VIRTIO_NET_F_STATUS,
            VIRTIO_NET_F_MRG_RXBUF, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_RX, VIRTIO_NET_F_CTRL_MAC_ADDR,
            VIRTIO_NET_F_MQ, VirtioFeatures.VIRTIO_F_VERSION_1, VirtioFeatures.VIRTIO_F_ACCESS_PLATFORM,
            VirtioFeatures.VIRTIO_F_INDIRECT_DESC, VirtioFeatures.VIRTIO_F_EVENT_IDX,
            VirtioFeatures.VIRTIO_F_RING_PACKED);

    /** VLAN_HLEN: a tagged frame may exceed MTU plus header by one tag on receive. */
    private static final int VLAN_HLEN = 4;
    private static final System.Logger LOG = System.getLogger("virtio.net");
    /** Datapath threads, whatever the number of devices (see {@link WorkerPool#datapathWorkers()}). */
    static final int DATAPATH_WORKERS = WorkerPool.datapathWorkers();

    private final Settings settings;
    private final Publisher publisher;
    private final Names names = new Names();
    /**
     * The last interface index given (the kernel's dev_new_index): never handed out twice while
     * the bundle runs. It outlives one driver, because DS replaces the driver component when its
     * configuration changes, and the devices it probes again must not take indexes given before.
     */
    private static final AtomicInteger IFINDEXES = new AtomicInteger();
    private final Map<VirtioDevice, VirtioNet> nets = new ConcurrentHashMap<>();
    private final ExecutorService configWork = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("virtio_net config").factory());
    private final WorkerPool datapath = new WorkerPool(NAME, DATAPATH_WORKERS);

    VirtioNetDriver(Settings settings, Publisher publisher) {
        this.settings = settings;
        this.publisher = publisher;
    }

    @Override
    public long features() {
        return FEATURES;
    }

    /**
     * Clears what the device offers but cannot honour (the kernel's virtnet_validate): features
     * that need the control queue without it (spec 5.1.3.1), an MTU below 68, a
     * {@code max_virtqueue_pairs} outside 1..0x8000.
     */
    @Override
    protected long validate(VirtioDevice device, long f) {
        if (!VirtioFeatures.has(f, VIRTIO_NET_F_CTRL_VQ)) {
            f &= ~VirtioFeatures.bits(VIRTIO_NET_F_CTRL_RX, VIRTIO_NET_F_CTRL_MAC_ADDR, VIRTIO_NET_F_MQ);
        }
        if (VirtioFeatures.has(f, VIRTIO_NET_F_MTU)
                && ConfigSpace.readLe16(device, VIRTIO_NET_CONFIG_MTU) < VIRTIO_NET_MIN_MTU) {
            f &= ~VirtioFeatures.bit(VIRTIO_NET_F_MTU);
        }
        if (VirtioFeatures.has(f, VIRTIO_NET_F_MQ)
                && !validMaxVirtqueuePairs(ConfigSpace.readLe16(device, VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS))) {
            f &= ~VirtioFeatures.bit(VIRTIO_NET_F_MQ);
        }
        return f;
    }

    @Override
    protected void probeNegotiated(VirtioDevice device, DeviceContext context) throws Exception {
        long f = device.driverFeatures();
        NetConfig cfg = NetConfig.read(device, f);
        Object wanted = context.properties().get(NET_NAME_PROPERTY);
        String name = names.claim(wanted instanceof String s ? s : null);
        NetSetup setup = new NetSetup(device, f, cfg, settings, name, IFINDEXES.incrementAndGet(), context.name(),
                datapath);
        VirtioNet net = null;
        try {
            net = setup.build();
            if (VirtioFeatures.has(f, VIRTIO_NET_F_MQ)) {
                try {
                    net.setQueuePairs(net.pairCount());
                } catch (NetDeviceException e) {
                    // the device keeps using pair 0 only (5.1.6.5.5); the driver follows it
                    LOG.log(System.Logger.Level.WARNING, name + ": " + e.getMessage() + "; using one queue pair");
                    net.useFirstPairOnly();
                }
            }
            nets.put(device, net);
            net.publish(publisher);
        } catch (Exception | Error e) {
            nets.remove(device);
            setup.abandon(net);
            names.release(name);
            throw e;
        }
    }

    /**
     * Withdraws the NetDevice first, then stops every thread of ours that touches the rings,
     * resets the device so it stops touching our buffers, and only then counts what was left in
     * the rings and returns the memory to the pool.
     */
    @Override
    protected void removeNegotiated(VirtioDevice device, DeviceContext context) {
        VirtioNet net = nets.remove(device);
        if (net == null) {
            return;
        }
        boolean[] stopped = net.shutdown();
        device.reset();
        net.release(stopped);
        names.release(net.name());
    }

    /** Link status changed: re-read it on the config thread, not the device's. */
    @Override
    protected void configChanged(VirtioDevice device) {
        VirtioNet net = nets.get(device);
        if (net == null) {
            return;
        }
        long f = device.driverFeatures();
        try {
            configWork.execute(() -> {
                if (!net.isClosed()) {
                    try {
                        net.linkChanged(NetConfig.readLinkUp(device, f));
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, net.name() + ": cannot read link status", e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // the driver is going away; its devices are being removed
        }
    }

    /** The NetDevices this driver publishes now. */
    public List<NetDevice> netDevices() {
        return Collections.unmodifiableList(new ArrayList<>(nets.values()));
    }

    /** The queue pairs' jobs now (one per pair of every bound device), for listings and tests. */
    List<String> datapathJobs() {
        return datapath.jobNames();
    }

    /** Stops the config thread and the datapath workers; call after every device was removed. */
    public void close() {
        datapath.close();
        configWork.shutdown();
        try {
            if (!configWork.awaitTermination(2, TimeUnit.SECONDS)) {
                configWork.shutdownNow();
            }
        } catch (InterruptedException e) {
            configWork.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** The longest frame accepted for sending: MTU plus Ethernet header. */
    static int maxTxFrame(int mtu) {
        return mtu + ETH_HLEN;
    }

    /** The longest frame accepted on receive: one VLAN tag more. */
    static int maxRxFrame(int mtu) {
        return mtu + ETH_HLEN + VLAN_HLEN;
    }

    /** RX buffer size: header plus the largest frame, or the configured size with mergeable buffers. */
    static int rxBufferSize(long features, int mtu, Settings settings) {
        return VirtioFeatures.has(features, VIRTIO_NET_F_MRG_RXBUF) ? settings.mergeBufferSize() : VIRTIO_NET_HDR_SIZE + maxRxFrame(mtu);
    }
}
