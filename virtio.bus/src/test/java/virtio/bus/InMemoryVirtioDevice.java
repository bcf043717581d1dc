package virtio.bus;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/**
 * A virtio device held in memory that behaves like one, for tests of the bus and of drivers: it
 * enforces the status rules, refuses FEATURES_OK for features it did not offer (or without
 * VERSION_1), drops transport bits its "ring" does not support, bounds-checks config access, bumps
 * the generation on device-side config changes, and takes queues only in the right state.
 */
public class InMemoryVirtioDevice implements VirtioDevice {

    private final int deviceId;
    private final int vendorId;
    private final long offered;
    private final long ringSupported;
    private final byte[] config;
    private final int[] maxSizes;

    private int status;
    private long driverFeatures;
    private int generation;
    private Runnable configHandler;
    private final Map<Integer, VirtqueueConfig> queues = new HashMap<>();
    private final int[] kicks;
    private final List<Integer> statusWrites = new ArrayList<>();
    private int resets;

    /**
     * @param offered the feature bits the device offers
     * @param ringSupported the transport bits the transport's ring can do; others are dropped by finalize
     * @param configSize bytes of config space
     * @param maxSizes the max size of each queue (0 = not available)
     */
    public InMemoryVirtioDevice(int deviceId, int vendorId, long offered, long ringSupported, int configSize, int... maxSizes) {
        this.deviceId = deviceId;
        this.vendorId = vendorId;
        this.offered = offered;
        this.ringSupported = ringSupported;
        this.config = new byte[configSize];
        this.maxSizes = maxSizes.clone();
        this.kicks = new int[maxSizes.length];
    }

    /** A network-like device: VERSION_1 + EVENT_IDX + INDIRECT_DESC + bit 5 (MAC), 3 queues of 256, 12 bytes of config. */
    public static InMemoryVirtioDevice net() {
        long transport = VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_VERSION_1, VirtioFeatures.VIRTIO_F_EVENT_IDX,
                VirtioFeatures.VIRTIO_F_INDIRECT_DESC);
        return new InMemoryVirtioDevice(1, 0x1af4, transport | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC), transport, 12, 256, 256, 64);
    }

    @Override public int deviceId() { return deviceId; }
    @Override public int vendorId() { return vendorId; }
    @Override public synchronized int getStatus() { return status; }

    @Override
    public synchronized void setStatus(int value) {
        statusWrites.add(value);
        if (value == 0) {
            reset();
            return;
        }
        DriverStatusRules.transition(status, value); // a driver breaking the protocol is a test failure
        int next = value;
        if (DeviceStatus.FEATURES_OK.in(value) && !DeviceStatus.FEATURES_OK.in(status) && !acceptable(driverFeatures)) {
            next &= ~DeviceStatus.FEATURES_OK.value(); // the device's refusal: the bit does not stick
        }
        status = next;
    }

    /** Whether the device takes these driver features at FEATURES_OK. Subclasses may be stricter. */
    protected boolean acceptable(long features) {
        return (features & ~offered) == 0 && VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_VERSION_1);
    }

    @Override
    public synchronized void reset() {
        status = 0;
        driverFeatures = 0;
        queues.clear();
        resets++;
    }

    @Override public long deviceFeatures() { return offered; }

    @Override
    public synchronized long finalizeFeatures(long features) {
        if (!DeviceStatus.DRIVER.in(status) || DeviceStatus.FEATURES_OK.in(status)) {
            throw new IllegalStateException("features written in status " + DeviceStatus.describe(status));
        }
        driverFeatures = features & ~(VirtioFeatures.VIRTIO_TRANSPORT_F_MASK & ~ringSupported);
        return driverFeatures;
    }

    @Override public synchronized long driverFeatures() { return driverFeatures; }
    @Override public int configSize() { return config.length; }
    @Override public synchronized int configGeneration() { return generation; }

    @Override
    public synchronized void readConfig(int offset, MemorySegment dst) {
        check(offset, dst.byteSize());
        MemorySegment.copy(MemorySegment.ofArray(config), offset, dst, 0, dst.byteSize());
    }

    @Override
    public synchronized void writeConfig(int offset, MemorySegment src) {
        check(offset, src.byteSize());
        MemorySegment.copy(src, 0, MemorySegment.ofArray(config), offset, src.byteSize());
    }

    private void check(int offset, long length) {
        if (offset < 0 || length < 0 || offset + length > config.length) {
            throw new IndexOutOfBoundsException("config [" + offset + ", +" + length + ") outside " + config.length);
        }
    }

    @Override public synchronized void setConfigChangeHandler(Runnable handler) { configHandler = handler; }
    @Override public int queueCount() { return maxSizes.length; }
    @Override public int queueMaxSize(int index) { return index >= 0 && index < maxSizes.length ? maxSizes[index] : 0; }

    private final virtio.ring.DmaPool pool = virtio.ring.DmaPool.create(1 << 20, 0x1000_0000L);

    @Override public virtio.ring.DmaPool dmaPool() { return pool; }

    @Override
    public synchronized void setupQueues(List<VirtqueueConfig> list) {
        if (!DeviceStatus.FEATURES_OK.in(status) || DeviceStatus.DRIVER_OK.in(status) || DeviceStatus.FAILED.in(status)) {
            throw new IllegalStateException("queues set up in status " + DeviceStatus.describe(status));
        }
        boolean[] seen = new boolean[maxSizes.length];
        for (VirtqueueConfig q : list) {
            if (q.index() >= maxSizes.length || seen[q.index()] || queues.containsKey(q.index())) {
                throw new IllegalArgumentException("queue index " + q.index() + " out of range or repeated");
            }
            if (q.size() > maxSizes[q.index()]) {
                throw new IllegalArgumentException("queue " + q.index() + " size " + q.size() + " > max " + maxSizes[q.index()]);
            }
            seen[q.index()] = true;
        }
        list.forEach(q -> queues.put(q.index(), q));
    }

    @Override
    public synchronized void notifyQueue(int index) {
        if (!queues.containsKey(index) || !DeviceStatus.DRIVER_OK.in(status)) {
            throw new IllegalStateException("kick of queue " + index + " not set up or before DRIVER_OK");
        }
        kicks[index]++;
    }

    @Override public synchronized void deleteQueues() { queues.clear(); }

    // ---------------------------------------------------------------- the device's side, for tests

    /** The device changes its config space: the generation moves and the config interrupt fires. */
    public void deviceWritesConfig(int offset, byte... bytes) {
        Runnable h;
        synchronized (this) {
            System.arraycopy(bytes, 0, config, offset, bytes.length);
            generation++;
            h = configHandler;
        }
        if (h != null) {
            h.run();
        }
    }

    /** The device hits an unrecoverable error: DEVICE_NEEDS_RESET and a config interrupt. */
    public void deviceNeedsReset() {
        Runnable h;
        synchronized (this) {
            status |= DeviceStatus.DEVICE_NEEDS_RESET.value();
            h = configHandler;
        }
        if (h != null) {
            h.run();
        }
    }

    /** The device uses buffers of a queue and interrupts, if the driver asked for callbacks. */
    public void deviceInterrupts(int index) {
        VirtqueueConfig q;
        synchronized (this) {
            q = DeviceStatus.DRIVER_OK.in(status) ? queues.get(index) : null;
        }
        if (q != null && q.callback() != null) {
            q.callback().notified(index);
        }
    }

    public synchronized Map<Integer, VirtqueueConfig> queues() { return Map.copyOf(queues); }
    public synchronized int kicks(int index) { return kicks[index]; }
    public synchronized List<Integer> statusWrites() { return List.copyOf(statusWrites); }
    public synchronized int resets() { return resets; }
    public synchronized boolean hasConfigHandler() { return configHandler != null; }
    public synchronized byte[] configBytes() { return Arrays.copyOf(config, config.length); }
}
