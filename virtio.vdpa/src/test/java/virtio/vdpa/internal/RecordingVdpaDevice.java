package virtio.vdpa.internal;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vdpa.bus.Iotlb;
import vdpa.bus.IotlbMapping;
import vdpa.bus.SimpleVdpaDevice;
import vdpa.bus.VdpaCallback;
import vdpa.bus.VqState;
import virtio.ring.AddressSpace;
import virtio.ring.DescriptorChain;
import virtio.ring.DeviceQueue;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;

/**
 * vdpa.bus's {@link SimpleVdpaDevice} (honest status, features, queue state, config) extended with
 * what the bridge's tests need to see: every op it receives in one log shared with the test bus,
 * the callbacks it was given, and a real IOTLB ({@link AddressSpace}) that its DMA ops fill, over
 * which {@link #serve} runs the device side of a ring. This class has no DMA ops; its subclasses
 * add dma_map or set_map. Options model devices that drop mappings or the config callback on
 * reset, refuse maps, or go bad.
 */
class RecordingVdpaDevice extends SimpleVdpaDevice {

    final List<String> log;
    final AddressSpace space = new AddressSpace();
    boolean dropsMapsOnReset;
    boolean refusesMaps;
    int refuseAddressOfVq = -1;
    private volatile boolean broken;
    private final VdpaCallback[] callbacks;
    private VdpaCallback configCb;
    private final Map<Integer, DeviceQueue> served = new HashMap<>();
    private final Map<Integer, VqState> packedState = new HashMap<>();
    private final List<IotlbMapping> mapped = new ArrayList<>();

    RecordingVdpaDevice(List<String> log, int nvqs, long offered) {
        super(nvqs, offered);
        this.log = log;
        this.callbacks = new VdpaCallback[nvqs];
    }

    RecordingVdpaDevice(List<String> log) {
        this(log, 3, FEATURES);
    }

    /** A shared, thread-safe log. */
    static List<String> newLog() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    /** From now on every op throws, as a device whose parent died. */
    void breakDevice() {
        broken = true;
    }

    private void op(String entry) {
        if (broken) {
            throw new IllegalStateException("device is gone");
        }
        log.add(entry);
    }

    // ---- virtqueue ops, logged
    @Override public void setVqAddress(int i, long d, long dr, long dv) {
        op("set_vq_address " + i);
        if (i == refuseAddressOfVq) {
            throw new IllegalArgumentException("vq " + i + " address refused");
        }
        super.setVqAddress(i, d, dr, dv);
    }
    @Override public void setVqNum(int i, int n) { op("set_vq_num " + i + " " + n); super.setVqNum(i, n); }
    @Override public void kickVq(int i) { op("kick_vq " + i); super.kickVq(i); }
    @Override public synchronized void setVqReady(int i, boolean r) { op("set_vq_ready " + i + " " + r); super.setVqReady(i, r); }
    @Override public synchronized boolean getVqReady(int i) { op("get_vq_ready " + i); return super.getVqReady(i); }

    @Override
    public synchronized void setVqCb(int i, VdpaCallback cb) {
        op("set_vq_cb " + i + (cb == null ? " null" : ""));
        super.setVqCb(i, cb);
        callbacks[i] = cb;
    }

    @Override
    public synchronized void setVqState(int i, VqState state) {
        op("set_vq_state " + i + " " + state);
        if (state instanceof VqState.Packed
                && VirtioFeatures.has(getDriverFeatures(), VirtioFeatures.VIRTIO_F_RING_PACKED)) {
            packedState.put(i, state); // SimpleVdpaDevice knows split only
            return;
        }
        super.setVqState(i, state);
    }

    synchronized VqState packedState(int i) {
        return packedState.get(i);
    }

    // ---- device ops, logged
    @Override public synchronized void setStatus(int s) { op("set_status " + s); super.setStatus(s); }
    @Override public synchronized int getStatus() { if (broken) { throw new IllegalStateException("device is gone"); } return super.getStatus(); }
    @Override public synchronized void setDriverFeatures(long f) { op("set_driver_features 0x" + Long.toHexString(f)); super.setDriverFeatures(f); }

    @Override
    public synchronized void setConfigCb(VdpaCallback c) {
        op("set_config_cb" + (c == null ? " null" : ""));
        super.setConfigCb(c);
        configCb = c;
    }

    @Override
    public synchronized void reset() {
        op("reset");
        super.reset();
        java.util.Arrays.fill(callbacks, null);
        configCb = null; // a device may clear its config callback on reset; the bridge must cope
        super.setConfigCb(null);
        served.clear();
        packedState.clear();
        if (dropsMapsOnReset) {
            mapped.forEach(m -> space.unmap(m.iova(), m.size()));
            mapped.clear();
        }
    }

    @Override public void getConfig(int offset, MemorySegment dst) { if (broken) { throw new IllegalStateException("device is gone"); } super.getConfig(offset, dst); }

    // ---- DMA: the subclasses' ops land here
    protected synchronized void doDmaMap(int asid, IotlbMapping m) {
        op("dma_map " + asid + " 0x" + Long.toHexString(m.iova()) + " " + m.size());
        mapInto(asid, m);
    }

    protected synchronized void doDmaUnmap(int asid, long iova, long size) {
        op("dma_unmap " + asid + " 0x" + Long.toHexString(iova) + " " + size);
        space.unmap(iova, size);
        mapped.removeIf(m -> m.iova() == iova);
    }

    protected synchronized void doSetMap(int asid, Iotlb iotlb) {
        op("set_map " + asid + " " + iotlb.mappings().size());
        mapped.forEach(m -> space.unmap(m.iova(), m.size()));
        mapped.clear();
        iotlb.mappings().forEach(m -> mapInto(asid, m));
    }

    protected synchronized void doResetMap(int asid) {
        op("reset_map " + asid);
    }

    private void mapInto(int asid, IotlbMapping m) {
        if (refusesMaps) {
            throw new IllegalArgumentException("no room in the IOTLB");
        }
        if (asid != 0) {
            throw new IllegalArgumentException("asid " + asid + " >= nas 1");
        }
        if (m.memory() == null) {
            throw new IllegalArgumentException("an in-JVM device needs the memory of a mapping");
        }
        space.map(m.iova(), m.memory().asSlice(0, m.size()), AddressSpace.READ_WRITE); // refuses overlaps
        mapped.add(m);
    }

    synchronized List<IotlbMapping> mappings() {
        return List.copyOf(mapped);
    }

    // ---- the device's side, for tests

    /** The device signals queue {@code i}, as its worker would, if a callback is installed. */
    void interrupt(int i) {
        VdpaCallback cb;
        synchronized (this) {
            cb = callbacks[i];
        }
        if (cb != null) {
            cb.interrupt();
        }
    }

    synchronized VdpaCallback callback(int i) {
        return callbacks[i];
    }

    synchronized VdpaCallback configCallback() {
        return configCb;
    }

    /**
     * Runs the device side of queue {@code i} once over the IOTLB: takes each available chain, writes
     * "pong:" and what it read into its writable part, returns it used, and interrupts if the driver
     * wants it. Returns how many chains it used.
     */
    int serve(int i) {
        DeviceQueue q;
        synchronized (this) {
            if (!DeviceStatus.DRIVER_OK.in(getStatus()) || !super.getVqReady(i)) {
                return 0;
            }
            long[] a = address(i);
            q = served.computeIfAbsent(i, k -> DeviceQueue.open(space, num(i), getDriverFeatures(), a[0], a[1], a[2]));
        }
        int used = 0;
        for (DescriptorChain c = q.pop(); c != null; c = q.pop()) {
            byte[] in = new byte[(int) c.readableBytes()];
            c.copyFromReadable(0, MemorySegment.ofArray(in), 0, in.length);
            byte[] out = ("pong:" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            long n = c.copyToWritable(0, MemorySegment.ofArray(out), 0, out.length);
            q.returnUsed(c, (int) n);
            used++;
        }
        if (q.isBroken()) {
            throw new AssertionError("device side broke: " + q.brokenReason());
        }
        if (used > 0 && q.needsNotify()) {
            interrupt(i);
        }
        return used;
    }
}
