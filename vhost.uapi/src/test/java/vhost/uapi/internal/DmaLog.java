package vhost.uapi.internal;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import vdpa.bus.IotlbMapping;
import vdpa.bus.IovaRange;
import vdpa.bus.VdpaCallback;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDmaMapOps;
import vdpa.bus.VqState;
import vdpa.bus.VqStateSupport;

/**
 * A device that takes DMA translations only one at a time (dma_map, no set_map), passing every op
 * to a real one and writing down each dma_map and dma_unmap, so a test sees exactly what the
 * bridge took from the device's address space and when.
 */
final class DmaLog implements VdpaDmaMapOps {

    /** One DMA op: map or unmap of {@code [iova, iova + size)}. */
    record Op(boolean map, long iova, long size) {}

    private final VdpaDmaMapOps device;
    final List<Op> ops = new CopyOnWriteArrayList<>();

    DmaLog(VdpaDevice device) {
        this.device = (VdpaDmaMapOps) device;
    }

    @Override
    public void dmaMap(int asid, IotlbMapping m) {
        ops.add(new Op(true, m.iova(), m.size()));
        device.dmaMap(asid, m);
    }

    @Override
    public void dmaUnmap(int asid, long iova, long size) {
        ops.add(new Op(false, iova, size));
        device.dmaUnmap(asid, iova, size);
    }

    @Override public void setVqAddress(int idx, long d, long dr, long dv) { device.setVqAddress(idx, d, dr, dv); }
    @Override public void setVqNum(int idx, int num) { device.setVqNum(idx, num); }
    @Override public void kickVq(int idx) { device.kickVq(idx); }
    @Override public void setVqCb(int idx, VdpaCallback cb) { device.setVqCb(idx, cb); }
    @Override public void setVqReady(int idx, boolean ready) { device.setVqReady(idx, ready); }
    @Override public boolean getVqReady(int idx) { return device.getVqReady(idx); }
    @Override public void setVqState(int idx, VqState state) { device.setVqState(idx, state); }
    @Override public VqState getVqState(int idx) { return device.getVqState(idx); }
    @Override public VqStateSupport vqStateSupport() { return device.vqStateSupport(); }
    @Override public int getVqSize(int idx) { return device.getVqSize(idx); }
    @Override public int getDeviceId() { return device.getDeviceId(); }
    @Override public int getVendorId() { return device.getVendorId(); }
    @Override public int vqCount() { return device.vqCount(); }
    @Override public int getVqAlign() { return device.getVqAlign(); }
    @Override public long getDeviceFeatures() { return device.getDeviceFeatures(); }
    @Override public void setDriverFeatures(long features) { device.setDriverFeatures(features); }
    @Override public long getDriverFeatures() { return device.getDriverFeatures(); }
    @Override public void setConfigCb(VdpaCallback cb) { device.setConfigCb(cb); }
    @Override public int getVqNumMax() { return device.getVqNumMax(); }
    @Override public int getStatus() { return device.getStatus(); }
    @Override public void setStatus(int status) { device.setStatus(status); }
    @Override public void reset() { device.reset(); }
    @Override public int getConfigSize() { return device.getConfigSize(); }
    @Override public void getConfig(int offset, MemorySegment dst) { device.getConfig(offset, dst); }
    @Override public void setConfig(int offset, MemorySegment src) { device.setConfig(offset, src); }
    @Override public int getGeneration() { return device.getGeneration(); }
    @Override public IovaRange getIovaRange() { return device.getIovaRange(); }
}
