package vdpa.hw.pci.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import pci.bus.PciDma;
import pci.bus.PciMsix;
import pci.bus.PciRegs;
import virtio.spec.VirtioPci;
import vdpa.bus.IotlbMapping;
import vdpa.bus.IovaRange;
import vdpa.bus.VdpaCallback;
import vdpa.bus.VdpaDmaMapOps;
import vdpa.bus.VdpaResetMapOps;
import vdpa.bus.VqState;
import vdpa.bus.VqStateSupport;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;

/**
 * A virtio-pci function as a vDPA device, by register access only (the kernel's vp_vdpa.c): each
 * config op is the common-configuration access that means it. What registers cannot do, this
 * device says rather than pretends: queue state cannot be read and only the initial state set
 * ({@link VqStateSupport#INITIAL_ONLY}); a queue cannot be stopped on its own once running (that
 * needs VIRTIO_F_RING_RESET, not used).
 *
 * <p><b>Order of writes.</b> The spec wants every queue field written before queue_enable
 * (4.1.4.3.1) and queue_enable never written 0. The vDPA ops come in another order (ready before
 * MSI-X vectors exist, and ready may be taken back before DRIVER_OK), so a ready queue is enabled
 * at DRIVER_OK: then MSI-X is allocated, one vector per queue with a callback and one for config
 * changes (as vp_vdpa's request_irq), each mapping read back, then queue_enable for each ready
 * queue, then DRIVER_OK. Reset writes 0, waits for 0 to read back, and frees the vectors.
 *
 * <p><b>DMA.</b> The IOVAs the vDPA driver maps go into the function's DMA window; reset keeps
 * them (reset_map empties it).
 */
final class VpVdpaDevice implements VdpaDmaMapOps, VdpaResetMapOps {

    /** vp_vdpa's get_vq_align: a page. */
    static final int VQ_ALIGN = 4096;
    /** How often a config read is retried while config_generation moves under it. */
    static final int CONFIG_RETRIES = 64;

    private final String name;
    private final VpModern hw;
    private final PciDma dma;
    private final int deviceId;
    private final int vendorId;
    private final long offered;
    private final int[] maxSize;
    private final int numMax;
    private final long[] notifyOffset;
    private final AtomicReferenceArray<VdpaCallback> vqCb;
    private volatile VdpaCallback configCb;
    /** Guarded by this: queues the driver made ready, enabled on the function at DRIVER_OK. */
    private final boolean[] ready;
    private final VpVectors vectors;

    /**
     * Reads what the function presents after a reset: queue count, each queue's maximum size and
     * notify address (checked against the notify structure).
     *
     * @param offered the features to offer: the function's, masked by the vdpa dev add attribute
     * @throws IllegalStateException the function presents something unusable (no queues, a notify
     *     address outside its structure, no MSI-X)
     */
    VpVdpaDevice(String name, VpModern hw, long offered) {
        this.name = name;
        this.hw = hw;
        PciMsix msix = hw.function().msix().orElseThrow(() -> new IllegalStateException(
                hw.function().address() + " has no MSI-X: virtio-pci interrupts need it here (no INTx)"));
        this.vectors = new VpVectors(name, hw, msix);
        this.dma = hw.function().dma();
        this.deviceId = hw.function().config().read16(PciRegs.PCI_DEVICE_ID) - VirtioPci.VIRTIO_PCI_MODERN_DEVICE_ID_BASE;
        this.vendorId = hw.function().config().read16(PciRegs.PCI_SUBSYSTEM_VENDOR_ID);
        this.offered = hw.deviceFeatures() & offered;
        int n = hw.numQueues();
        if (n < 1) {
            throw new IllegalStateException(hw.function().address() + " presents num_queues " + n);
        }
        this.maxSize = new int[n];
        this.notifyOffset = new long[n];
        int max = 0;
        for (int q = 0; q < n; q++) {
            maxSize[q] = hw.queueSize(q);
            max = Math.max(max, maxSize[q]);
            notifyOffset[q] = hw.notifyOffset(q);
        }
        this.numMax = max;
        this.vqCb = new AtomicReferenceArray<>(n);
        this.ready = new boolean[n];
    }

    String name() {
        return name;
    }

    private int queue(int idx) {
        if (idx < 0 || idx >= maxSize.length) {
            throw new IllegalArgumentException("virtqueue " + idx + " is outside 0.." + (maxSize.length - 1));
        }
        return idx;
    }

    /** Whether DRIVER_OK is set: queue_enable has been written for the ready queues. */
    private boolean started() {
        return DeviceStatus.DRIVER_OK.in(hw.status());
    }

    // ================================================================ virtqueue ops

    @Override
    public synchronized void setVqAddress(int idx, long descArea, long driverArea, long deviceArea) {
        queue(idx);
        if (ready[idx] && started()) {
            throw new IllegalStateException("virtqueue " + idx + " is running");
        }
        hw.queueAddress(idx, descArea, driverArea, deviceArea);
    }

    @Override
    public synchronized void setVqNum(int idx, int num) {
        queue(idx);
        if (num < 1 || num > maxSize[idx]) {
            throw new IllegalArgumentException("virtqueue size " + num + " is outside 1.." + maxSize[idx]);
        }
        int status = hw.status();
        boolean packed = VirtioFeatures.has(hw.driverFeatures(), VirtioFeatures.VIRTIO_F_RING_PACKED);
        if (DeviceStatus.FEATURES_OK.in(status) && !packed && Integer.bitCount(num) != 1) {
            throw new IllegalArgumentException("virtqueue size " + num + " is not a power of two, as a split ring needs");
        }
        if (ready[idx] && DeviceStatus.DRIVER_OK.in(status)) {
            throw new IllegalStateException("virtqueue " + idx + " is running");
        }
        int kept = hw.queueSize(idx, num);
        if (kept != num) {
            throw new IllegalStateException(hw.function().address() + " kept queue " + idx + "'s size at " + kept + ", not " + num);
        }
    }

    /** The hot path: one 16-bit write at the queue's checked notify address. */
    @Override
    public void kickVq(int idx) {
        hw.notify(notifyOffset[queue(idx)], idx);
    }

    @Override
    public void setVqCb(int idx, VdpaCallback cb) {
        vqCb.set(queue(idx), cb);
    }

    @Override
    public synchronized void setVqReady(int idx, boolean r) {
        queue(idx);
        boolean started = started();
        if (r) {
            ready[idx] = true;
            if (started && !hw.queueEnabled(idx)) {
                // a queue made ready after DRIVER_OK starts at once; it gets no vector of its own
                hw.queueEnable(idx);
            }
            return;
        }
        if (started && hw.queueEnabled(idx)) {
            throw new IllegalStateException("virtqueue " + idx + " is running: a virtio-pci queue stops only with the"
                    + " device (reset) unless VIRTIO_F_RING_RESET is negotiated");
        }
        ready[idx] = false;
    }

    /** Before DRIVER_OK, whether the driver made it ready; afterwards what queue_enable reads. */
    @Override
    public synchronized boolean getVqReady(int idx) {
        queue(idx);
        return started() ? hw.queueEnabled(idx) : ready[idx];
    }

    /** Only the initial state: it is where the function starts a queue after reset. */
    @Override
    public void setVqState(int idx, VqState state) {
        queue(idx);
        Objects.requireNonNull(state, "state");
        if (!state.isInitial()) {
            throw new UnsupportedOperationException(name + ": a virtio-pci function starts a queue at its initial"
                    + " state and cannot be set to " + state);
        }
        if (DeviceStatus.FEATURES_OK.in(hw.status())
                && VirtioFeatures.has(hw.driverFeatures(), VirtioFeatures.VIRTIO_F_RING_PACKED) != (state instanceof VqState.Packed)) {
            throw new IllegalArgumentException("virtqueue " + idx + ": " + state + " does not match the negotiated ring layout");
        }
    }

    @Override
    public VqState getVqState(int idx) {
        queue(idx);
        throw new UnsupportedOperationException(name + ": a virtio-pci function cannot report where a queue stands");
    }

    @Override
    public VqStateSupport vqStateSupport() {
        return VqStateSupport.INITIAL_ONLY;
    }

    @Override
    public int getVqSize(int idx) {
        return maxSize[queue(idx)];
    }

    // ================================================================ device ops

    @Override public int getDeviceId() { return deviceId; }
    @Override public int getVendorId() { return vendorId; }
    @Override public int vqCount() { return maxSize.length; }
    @Override public int getVqAlign() { return VQ_ALIGN; }
    @Override public int getVqNumMax() { return numMax; }
    @Override public long getDeviceFeatures() { return offered; }
    @Override public long getDriverFeatures() { return hw.driverFeatures(); }
    @Override public int getStatus() { return hw.status(); }
    @Override public int getGeneration() { return hw.generation(); }
    @Override public int getConfigSize() { return hw.configSize(); }
    @Override public IovaRange getIovaRange() { return new IovaRange(dma.first(), dma.last()); }

    @Override
    public synchronized void setDriverFeatures(long features) {
        int status = hw.status();
        if (!DeviceStatus.DRIVER.in(status) || DeviceStatus.FEATURES_OK.in(status)) {
            throw new IllegalStateException("driver features written in status 0x" + Integer.toHexString(status));
        }
        hw.driverFeatures(features);
    }

    @Override
    public void setConfigCb(VdpaCallback cb) {
        configCb = cb;
    }

    /**
     * Writes the status byte. FEATURES_OK is withheld for features beyond the offered ones (the
     * function would take any it offers itself); DRIVER_OK first sets up MSI-X and enables the
     * ready queues (see the class comment).
     */
    @Override
    public synchronized void setStatus(int status) {
        if ((status & 0xff) == 0) {
            throw new IllegalArgumentException("status 0 is a reset: use reset()");
        }
        int old = hw.status();
        if (DeviceStatus.FEATURES_OK.in(status) && !DeviceStatus.FEATURES_OK.in(old) && (hw.driverFeatures() & ~offered) != 0) {
            status &= ~DeviceStatus.FEATURES_OK.value();
        }
        if (DeviceStatus.DRIVER_OK.in(status) && !DeviceStatus.DRIVER_OK.in(old) && DeviceStatus.FEATURES_OK.in(old)) {
            start();
        }
        hw.status(status);
    }

    /** MSI-X vectors and queue_enable, at DRIVER_OK. On refusal nothing stays allocated. */
    private void start() {
        vectors.allocate(vqCb, () -> configCb);
        try {
            for (int q = 0; q < ready.length; q++) {
                if (ready[q]) {
                    hw.queueEnable(q);
                    if (!hw.queueEnabled(q)) {
                        throw new IllegalStateException(hw.function().address() + " did not enable queue " + q);
                    }
                }
            }
        } catch (RuntimeException e) {
            vectors.free();
            throw e;
        }
    }

    /** Writes 0, waits for 0, frees the vectors; queue callbacks and ready flags go, the config callback stays. */
    @Override
    public synchronized void reset() {
        boolean done = hw.reset();
        vectors.free();
        Arrays.fill(ready, false);
        for (int q = 0; q < maxSize.length; q++) {
            vqCb.set(q, null);
        }
        if (!done) {
            throw new IllegalStateException(hw.function().address() + " did not finish its reset within " + VpModern.RESET_TIMEOUT);
        }
    }

    @Override
    public void compatReset(int flags) {
        reset();
        if ((flags & RESET_F_CLEAN_MAP) != 0) {
            resetMap(0);
        }
    }

    /** Byte reads (as vp_vdpa's), repeated while config_generation moves under them (4.1.4.3.1). */
    @Override
    public void getConfig(int offset, MemorySegment dst) {
        int length = checkConfig(offset, dst.byteSize());
        for (int attempt = 0; attempt < CONFIG_RETRIES; attempt++) {
            int before = hw.generation();
            for (int i = 0; i < length; i++) {
                dst.set(ValueLayout.JAVA_BYTE, i, (byte) hw.configByte(offset + i));
            }
            if (hw.generation() == before) {
                return;
            }
        }
        throw new IllegalStateException(hw.function().address() + ": config_generation changed during " + CONFIG_RETRIES + " reads");
    }

    @Override
    public void setConfig(int offset, MemorySegment src) {
        int length = checkConfig(offset, src.byteSize());
        for (int i = 0; i < length; i++) {
            hw.configByte(offset + i, src.get(ValueLayout.JAVA_BYTE, i));
        }
    }

    private int checkConfig(int offset, long length) {
        int size = hw.configSize();
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("config [" + offset + ", +" + length + ") outside " + size);
        }
        return (int) length;
    }

    // ================================================================ DMA

    private static void asid(int asid) {
        if (asid != 0) {
            throw new IllegalArgumentException("address space " + asid + ": the function has one (0)");
        }
    }

    @Override
    public void dmaMap(int asid, IotlbMapping m) {
        asid(asid);
        if (m.memory() == null) {
            throw new IllegalArgumentException("mapping at 0x" + Long.toHexString(m.iova())
                    + " has no memory segment: the DMA window maps memory of this process");
        }
        int permission = switch (m.permission()) {
            case RO -> PciDma.READ;
            case WO -> PciDma.WRITE;
            case RW -> PciDma.READ | PciDma.WRITE;
        };
        dma.map(m.iova(), m.memory().asSlice(0, m.size()), permission);
    }

    @Override
    public void dmaUnmap(int asid, long iova, long size) {
        asid(asid);
        dma.unmap(iova, size);
    }

    @Override
    public void resetMap(int asid) {
        asid(asid);
        for (PciDma.Mapping m : dma.mappings()) {
            dma.unmap(m.iova(), m.size());
        }
    }
}
