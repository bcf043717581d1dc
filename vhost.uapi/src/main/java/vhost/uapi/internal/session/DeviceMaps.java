package vhost.uapi.internal.session;

import java.util.List;
import vdpa.bus.Iotlb;
import vdpa.bus.IotlbMapping;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDmaMapOps;
import vdpa.bus.VdpaSetMapOps;

/**
 * The device's address space 0 as the memory table fills it: one set_map where the device takes
 * whole tables, else dma_unmap of what was mapped and dma_map of each region (the kernel's
 * vhost_vdpa does the same per IOTLB update).
 */
public final class DeviceMaps {

    private final VdpaDevice device;
    private Iotlb current = Iotlb.EMPTY;

    DeviceMaps(VdpaDevice device) {
        this.device = device;
    }

    /** Whether the bridge can program this device's translation at all. */
    public static boolean supports(VdpaDevice device) {
        return device instanceof VdpaSetMapOps || device instanceof VdpaDmaMapOps;
    }

    /** Makes the device translate exactly {@code iotlb}. */
    void set(Iotlb iotlb) {
        if (device instanceof VdpaSetMapOps s) {
            s.setMap(0, iotlb);
        } else {
            VdpaDmaMapOps d = (VdpaDmaMapOps) device;
            for (IotlbMapping m : current.mappings()) {
                d.dmaUnmap(0, m.iova(), m.size());
            }
            current = Iotlb.EMPTY;
            for (IotlbMapping m : iotlb.mappings()) {
                d.dmaMap(0, m);
            }
        }
        current = iotlb;
    }

    /** Empties the device's translation: nothing of the front-end's memory is reachable from it. */
    void clear() {
        set(new Iotlb(List.of()));
    }
}
