package virtio.vdpa.internal;

import java.util.List;
import vdpa.bus.Iotlb;
import vdpa.bus.IotlbMapping;
import vdpa.bus.IovaRange;
import vdpa.bus.VdpaDmaMapOps;
import vdpa.bus.VdpaResetMapOps;
import vdpa.bus.VdpaSetMapOps;

/** The DMA flavours of {@link RecordingVdpaDevice}: the capability interfaces decide what the bridge sees. */
final class Devices {
    private Devices() {}

    /** A device that takes translations one at a time (dma_map / dma_unmap). */
    static class DmaMap extends RecordingVdpaDevice implements VdpaDmaMapOps {
        DmaMap(List<String> log) { super(log); }
        DmaMap(List<String> log, int nvqs, long offered) { super(log, nvqs, offered); }
        @Override public void dmaMap(int asid, IotlbMapping m) { doDmaMap(asid, m); }
        @Override public void dmaUnmap(int asid, long iova, long size) { doDmaUnmap(asid, iova, size); }
    }

    /** A device that takes a whole IOTLB at once (set_map). */
    static final class SetMap extends RecordingVdpaDevice implements VdpaSetMapOps {
        SetMap(List<String> log) { super(log); }
        @Override public void setMap(int asid, Iotlb iotlb) { doSetMap(asid, iotlb); }
    }

    /** dma_map plus reset_map: its reset keeps mappings, by the vdpa.bus contract. */
    static final class DmaMapResetMap extends DmaMap implements VdpaResetMapOps {
        DmaMapResetMap(List<String> log) { super(log); }
        @Override public void resetMap(int asid) { doResetMap(asid); }
    }

    /** A dma_map device that translates only a narrow IOVA window. */
    static final class Narrow extends DmaMap {
        private final IovaRange range;
        Narrow(List<String> log, IovaRange range) { super(log); this.range = range; }
        @Override public IovaRange getIovaRange() { return range; }
    }
}
