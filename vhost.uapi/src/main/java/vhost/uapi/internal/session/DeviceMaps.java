package vhost.uapi.internal.session;

import java.util.ArrayList;
import java.util.List;
import vdpa.bus.Iotlb;
import vdpa.bus.IotlbMapping;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDmaMapOps;
import vdpa.bus.VdpaSetMapOps;

/**
 * The device's address space 0 as the memory table fills it: one set_map where the device takes
 * whole tables, else dma_unmap of each translation that goes and dma_map of each that comes, and
 * nothing for those that stay (the kernel's vhost_vdpa maps per IOTLB update as well), so a
 * region added or removed beside running rings never takes their memory away, not even briefly.
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
            List<IotlbMapping> mapped = new ArrayList<>(current.mappings());
            try {
                for (IotlbMapping m : current.mappings()) {
                    if (!holds(iotlb, m)) {
                        d.dmaUnmap(0, m.iova(), m.size());
                        mapped.remove(m);
                    }
                }
                for (IotlbMapping m : iotlb.mappings()) {
                    if (!holds(current, m)) {
                        d.dmaMap(0, m);
                        mapped.add(m);
                    }
                }
            } finally {
                current = new Iotlb(mapped); // what the device holds, even if it refused a mapping
            }
        }
        current = iotlb;
    }

    /** Whether {@code table} has exactly {@code m}: the same range, to the same memory, with the same permission. */
    private static boolean holds(Iotlb table, IotlbMapping m) {
        for (IotlbMapping t : table.mappings()) {
            if (t.iova() == m.iova() && t.size() == m.size() && t.address() == m.address() && t.permission() == m.permission()) {
                return true;
            }
        }
        return false;
    }

    /** Empties the device's translation: nothing of the front-end's memory is reachable from it. */
    void clear() {
        set(new Iotlb(List.of()));
    }
}
