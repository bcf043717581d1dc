package vdpa.bus;

import static virtio.spec.VirtioConfig.VIRTIO_CONFIG_S_DRIVER;
import static virtio.spec.VirtioConfig.VIRTIO_CONFIG_S_DRIVER_OK;
import static virtio.spec.VirtioConfig.VIRTIO_CONFIG_S_FEATURES_OK;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/**
 * A minimal vDPA network device that keeps its state like one: per-queue address, size, ready,
 * callback and split-ring state; status with FEATURES_OK refused for features it did not offer;
 * bounds-checked config space whose generation moves on device-side changes; suspend and resume.
 * It moves no packets: it is the reference the contract is checked against, and a fixture for
 * bus and driver tests.
 */
public class SimpleVdpaDevice implements VdpaSuspendOps {

    /** VERSION_1 | ACCESS_PLATFORM | MAC | MTU. */
    public static final long FEATURES = VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_VERSION_1,
            VirtioFeatures.VIRTIO_F_ACCESS_PLATFORM, VirtioNet.VIRTIO_NET_F_MAC, VirtioNet.VIRTIO_NET_F_MTU);

    private final int nvqs;
    private final long offered;
    private final byte[] config = new byte[12]; // virtio_net_config up to mtu: mac, status, max_vq_pairs, mtu

    private int status;
    private long driverFeatures;
    private int generation;
    private boolean suspended;
    private VdpaCallback configCb;
    private final long[][] addr;
    private final int[] num;
    private final boolean[] ready;
    private final VdpaCallback[] cb;
    private final int[] availIndex;
    private final int[] kicks;

    public SimpleVdpaDevice(int nvqs, long offered) {
        this.nvqs = nvqs;
        this.offered = offered;
        addr = new long[nvqs][3];
        num = new int[nvqs];
        ready = new boolean[nvqs];
        cb = new VdpaCallback[nvqs];
        availIndex = new int[nvqs];
        kicks = new int[nvqs];
    }

    public SimpleVdpaDevice() {
        this(3, FEATURES);
    }

    /** Writes config space bytes as the device would (no generation change: set before use). */
    public synchronized void deviceConfig(int offset, byte... bytes) {
        System.arraycopy(bytes, 0, config, offset, bytes.length);
    }

    private void vq(int idx) {
        if (idx < 0 || idx >= nvqs) {
            throw new IllegalArgumentException("virtqueue " + idx + " is outside 0.." + (nvqs - 1));
        }
    }

    // ---- virtqueue ops
    @Override public synchronized void setVqAddress(int idx, long d, long dr, long dv) { vq(idx); addr[idx] = new long[] {d, dr, dv}; }

    @Override
    public synchronized void setVqNum(int idx, int n) {
        vq(idx);
        if (n < getVqNumMin() || n > getVqNumMax()) {
            throw new IllegalArgumentException("vq size " + n + " outside " + getVqNumMin() + ".." + getVqNumMax());
        }
        num[idx] = n;
    }

    @Override public synchronized void kickVq(int idx) { vq(idx); if (ready[idx]) { kicks[idx]++; } }
    @Override public synchronized void setVqCb(int idx, VdpaCallback c) { vq(idx); cb[idx] = c; }
    @Override public synchronized void setVqReady(int idx, boolean r) { vq(idx); ready[idx] = r; }
    @Override public synchronized boolean getVqReady(int idx) { vq(idx); return ready[idx]; }

    @Override
    public synchronized void setVqState(int idx, VqState state) {
        vq(idx);
        if (!(state instanceof VqState.Split s)) {
            throw new IllegalArgumentException("packed state on a device without VIRTIO_F_RING_PACKED");
        }
        if (ready[idx] && !suspended) {
            throw new IllegalStateException("virtqueue " + idx + " is running");
        }
        availIndex[idx] = s.availIndex();
    }

    @Override public synchronized VqState getVqState(int idx) { vq(idx); return new VqState.Split(availIndex[idx]); }

    // ---- device ops
    @Override public int getDeviceId() { return 1; }
    @Override public int getVendorId() { return 0; }
    @Override public int vqCount() { return nvqs; }
    @Override public int getVqAlign() { return 4096; }
    @Override public long getDeviceFeatures() { return offered; }

    @Override
    public synchronized void setDriverFeatures(long features) {
        if ((status & VIRTIO_CONFIG_S_DRIVER) == 0 || (status & VIRTIO_CONFIG_S_FEATURES_OK) != 0) {
            throw new IllegalStateException("driver features written in status 0x" + Integer.toHexString(status));
        }
        driverFeatures = features;
    }

    @Override public synchronized long getDriverFeatures() { return driverFeatures; }
    @Override public synchronized void setConfigCb(VdpaCallback c) { configCb = c; }
    @Override public int getVqNumMax() { return 256; }
    @Override public synchronized int getStatus() { return status; }

    @Override
    public synchronized void setStatus(int s) {
        if (s == 0) {
            throw new IllegalArgumentException("status 0 is a reset: call reset()");
        }
        if ((s & VIRTIO_CONFIG_S_FEATURES_OK) != 0 && (status & VIRTIO_CONFIG_S_FEATURES_OK) == 0
                && ((driverFeatures & ~offered) != 0 || !VirtioFeatures.has(driverFeatures, VirtioFeatures.VIRTIO_F_VERSION_1))) {
            s &= ~VIRTIO_CONFIG_S_FEATURES_OK; // refused: the bit does not stick
        }
        status = s & 0xff;
    }

    @Override
    public synchronized void reset() {
        status = 0;
        driverFeatures = 0;
        suspended = false;
        for (int i = 0; i < nvqs; i++) {
            addr[i] = new long[3];
            num[i] = 0;
            ready[i] = false;
            cb[i] = null;
            availIndex[i] = 0;
        }
    }

    @Override public int getConfigSize() { return config.length; }

    @Override
    public synchronized void getConfig(int offset, MemorySegment dst) {
        bounds(offset, dst.byteSize());
        MemorySegment.copy(MemorySegment.ofArray(config), offset, dst, 0, dst.byteSize());
    }

    @Override
    public synchronized void setConfig(int offset, MemorySegment src) {
        bounds(offset, src.byteSize());
        // virtio-net config is read-only to the driver: the write is checked, then ignored
    }

    private void bounds(int offset, long len) {
        if (offset < 0 || len < 0 || offset + len > config.length) {
            throw new IndexOutOfBoundsException("config [" + offset + ", +" + len + ") outside " + config.length);
        }
    }

    @Override public synchronized int getGeneration() { return generation; }

    // ---- suspend
    @Override public synchronized void suspend() { suspended = true; }
    @Override public synchronized void resume() { suspended = false; }

    // ---- the device's side, for tests
    /** The device sets its MAC: config changes, the generation moves, the config callback fires after DRIVER_OK. */
    public void deviceSetsMac(byte[] mac) {
        VdpaCallback c;
        synchronized (this) {
            System.arraycopy(mac, 0, config, 0, 6);
            generation++;
            c = (status & VIRTIO_CONFIG_S_DRIVER_OK) != 0 ? configCb : null;
        }
        if (c != null) {
            c.interrupt();
        }
    }

    public synchronized int kicks(int idx) { return kicks[idx]; }
    public synchronized long[] address(int idx) { return Arrays.copyOf(addr[idx], 3); }
    public synchronized int num(int idx) { return num[idx]; }
}
