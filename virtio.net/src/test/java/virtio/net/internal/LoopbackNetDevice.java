package virtio.net.internal;

import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAC;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_MTU;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_SIZE;
import static virtio.spec.VirtioNet.VIRTIO_NET_CONFIG_STATUS;
import static virtio.spec.VirtioNet.VIRTIO_NET_S_LINK_UP;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import virtio.bus.DriverStatusRules;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtqueueConfig;
import virtio.net.api.MacAddress;
import virtio.ring.AddressSpace;
import virtio.ring.DeviceQueue;
import virtio.ring.DmaPool;
import virtio.ring.RingErrorCounter;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioIds;

/**
 * A virtio-net device for driver tests, the transport half: status rules, feature negotiation
 * (FEATURES_OK refused for unoffered bits), a config space laid out as spec 5.1.4 says with a
 * generation, and queues opened with the ring core's device side over the DMA pool's address
 * space. The data path (loopback, control commands) is {@link LoopbackDatapath}, on its own worker
 * thread, like vdpa_sim's.
 *
 * <p>It also watches the driver: a kick of a queue that is not set up, or before DRIVER_OK, is
 * recorded as a violation (and refused, as a real transport would).
 */
final class LoopbackNetDevice implements VirtioDevice, AutoCloseable {

    static final long IOVA_BASE = 0x8000_0000L;

    private final long offered;
    private final int maxSize;
    private final int maxPairs;
    final DmaPool pool;
    final AddressSpace space = new AddressSpace();
    private final byte[] config = new byte[VIRTIO_NET_CONFIG_SIZE];
    final LoopbackDatapath datapath;

    /** Ring lock: status changes, queue setup and reset wait for the datapath's pass to finish. */
    final Object lock = new Object();
    private int status;
    private long driverFeatures;
    private int generation;
    private Runnable configHandler;
    final Map<Integer, VirtqueueConfig> configs = new HashMap<>();
    final Map<Integer, DeviceQueue> queues = new HashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final int[] kicks;
    private int resets;

    /**
     * @param offered feature bits offered (VERSION_1 is added)
     * @param maxPairs {@code max_virtqueue_pairs}; the device has {@code 2 * maxPairs + 1} queues
     * @param maxSize every queue's maximum size
     */
    LoopbackNetDevice(long offered, MacAddress mac, int mtu, int maxPairs, int maxSize) {
        this(offered, mac, mtu, maxPairs, maxSize, 32L << 20);
    }

    /** @param poolBytes size of the DMA pool the driver carves its rings and buffers from */
    LoopbackNetDevice(long offered, MacAddress mac, int mtu, int maxPairs, int maxSize, long poolBytes) {
        this.offered = offered | VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
        this.maxPairs = maxPairs;
        this.maxSize = maxSize;
        this.kicks = new int[2 * maxPairs + 1];
        System.arraycopy(mac.octets(), 0, config, VIRTIO_NET_CONFIG_MAC, 6);
        le16(VIRTIO_NET_CONFIG_STATUS, VIRTIO_NET_S_LINK_UP);
        le16(VIRTIO_NET_CONFIG_MAX_VIRTQUEUE_PAIRS, maxPairs);
        le16(VIRTIO_NET_CONFIG_MTU, mtu);
        this.pool = DmaPool.create(poolBytes, IOVA_BASE);
        pool.mapInto(space, AddressSpace.READ_WRITE);
        this.datapath = new LoopbackDatapath(this, maxPairs);
    }

    private void le16(int off, int v) {
        config[off] = (byte) v;
        config[off + 1] = (byte) (v >>> 8);
    }

    // ---------------------------------------------------------------- VirtioDevice

    @Override public int deviceId() { return VirtioIds.VIRTIO_ID_NET; }
    @Override public int vendorId() { return 0x1af4; }
    @Override public long deviceFeatures() { return offered; }
    @Override public int configSize() { return config.length; }
    @Override public int queueCount() { return 2 * maxPairs + 1; }
    @Override public int queueMaxSize(int index) { return index >= 0 && index < queueCount() ? maxSize : 0; }
    @Override public DmaPool dmaPool() { return pool; }

    @Override
    public int getStatus() {
        synchronized (lock) {
            return status;
        }
    }

    @Override
    public void setStatus(int value) {
        synchronized (lock) {
            if (value == 0) {
                reset();
                return;
            }
            DriverStatusRules.transition(status, value);
            int next = value;
            if (DeviceStatus.FEATURES_OK.in(value) && !DeviceStatus.FEATURES_OK.in(status)
                    && (driverFeatures & ~offered) != 0) {
                next &= ~DeviceStatus.FEATURES_OK.value();
            }
            boolean nowOk = DeviceStatus.DRIVER_OK.in(next) && !DeviceStatus.DRIVER_OK.in(status);
            status = next;
            if (nowOk) {
                datapath.driverOk(driverFeatures);
            }
        }
    }

    @Override
    public void reset() {
        synchronized (lock) {
            status = 0;
            driverFeatures = 0;
            configs.clear();
            queues.clear();
            datapath.reset();
            resets++;
        }
    }

    @Override
    public long finalizeFeatures(long features) {
        synchronized (lock) {
            if (!DeviceStatus.DRIVER.in(status) || DeviceStatus.FEATURES_OK.in(status)) {
                throw new IllegalStateException("features written in status " + DeviceStatus.describe(status));
            }
            driverFeatures = features;
            return features;
        }
    }

    @Override
    public long driverFeatures() {
        synchronized (lock) {
            return driverFeatures;
        }
    }

    @Override
    public int configGeneration() {
        synchronized (lock) {
            return generation;
        }
    }

    @Override
    public void readConfig(int offset, MemorySegment dst) {
        synchronized (lock) {
            if (offset < 0 || offset + dst.byteSize() > config.length) {
                throw new IndexOutOfBoundsException("config [" + offset + ", +" + dst.byteSize() + ")");
            }
            MemorySegment.copy(MemorySegment.ofArray(config), offset, dst, 0, dst.byteSize());
        }
    }

    @Override
    public void writeConfig(int offset, MemorySegment src) {
        violations.add("driver wrote config at " + offset); // every virtio-net field is read-only to the driver
    }

    @Override
    public void setConfigChangeHandler(Runnable handler) {
        synchronized (lock) {
            configHandler = handler;
        }
    }

    @Override
    public void setupQueues(List<VirtqueueConfig> list) {
        synchronized (lock) {
            if (!DeviceStatus.FEATURES_OK.in(status) || DeviceStatus.DRIVER_OK.in(status)) {
                throw new IllegalStateException("queues set up in status " + DeviceStatus.describe(status));
            }
            for (VirtqueueConfig q : list) {
                if (q.index() >= queueCount() || configs.containsKey(q.index()) || q.size() > maxSize) {
                    throw new IllegalArgumentException("bad queue " + q);
                }
            }
            for (VirtqueueConfig q : list) {
                configs.put(q.index(), q);
                queues.put(q.index(), DeviceQueue.open(space, q.size(), driverFeatures, q.descArea(), q.driverArea(),
                        q.deviceArea(), virtio.ring.VirtqueueState.initial(driverFeatures),
                        new RingErrorCounter("loopback q" + q.index())));
            }
        }
    }

    @Override
    public void notifyQueue(int index) {
        synchronized (lock) {
            if (!queues.containsKey(index) || !DeviceStatus.DRIVER_OK.in(status)) {
                violations.add("kick of queue " + index + " in status " + DeviceStatus.describe(status)
                        + (queues.containsKey(index) ? "" : " (not set up)"));
                throw new IllegalStateException("kick of queue " + index + " not set up or before DRIVER_OK");
            }
            kicks[index]++;
        }
        datapath.wake();
    }

    @Override
    public void deleteQueues() {
        synchronized (lock) {
            configs.clear();
            queues.clear();
        }
    }

    // ---------------------------------------------------------------- the device's side, for tests

    /** The cable is plugged or pulled: status changes, the generation moves, the config interrupt fires. */
    void setLink(boolean up) {
        Runnable h;
        synchronized (lock) {
            le16(VIRTIO_NET_CONFIG_STATUS, up ? VIRTIO_NET_S_LINK_UP : 0);
            generation++;
            h = configHandler;
        }
        if (h != null) {
            h.run();
        }
    }

    /** The device takes a new MAC (control command ADDR_SET): config space shows it. */
    void setMac(byte[] mac) {
        synchronized (lock) {
            System.arraycopy(mac, 0, config, VIRTIO_NET_CONFIG_MAC, 6);
            generation++;
        }
    }

    /** Calls the driver's callback of a queue (the device's interrupt), on the caller's thread. */
    void interrupt(int index) {
        VirtqueueConfig q = configs.get(index);
        if (q != null && q.callback() != null) {
            q.callback().notified(index);
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    int kicks(int index) {
        synchronized (lock) {
            return kicks[index];
        }
    }

    int resets() {
        synchronized (lock) {
            return resets;
        }
    }

    boolean hasQueues() {
        synchronized (lock) {
            return !queues.isEmpty();
        }
    }

    @Override
    public void close() {
        datapath.close();
        pool.close();
    }
}
