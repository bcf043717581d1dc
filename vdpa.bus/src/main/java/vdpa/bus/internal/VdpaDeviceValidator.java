package vdpa.bus.internal;

import java.util.function.Function;
import vdpa.bus.IovaRange;
import vdpa.bus.VdpaAsidOps;
import vdpa.bus.VdpaBindMmOps;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDmaMapOps;
import vdpa.bus.VdpaNotifyDataOps;
import vdpa.bus.VdpaResetMapOps;
import vdpa.bus.VdpaSetMapOps;
import virtio.spec.VirtioFeatures;
import virtio.spec.Virtq;

/**
 * Why the vDPA bus refuses a device, or {@code null}. The rules are listed in the package-info of
 * {@code vdpa.bus}; each refusal names the op or value at fault.
 */
final class VdpaDeviceValidator implements Function<VdpaDevice, String> {

    /** An op that throws is not caught here: the bus's admission refuses the device with it. */
    @Override
    public String apply(VdpaDevice d) {
        boolean setMap = d instanceof VdpaSetMapOps;
        boolean dmaMap = d instanceof VdpaDmaMapOps;
        if (d.getDeviceId() == 0) {
            return "get_device_id returns 0, the reserved (invalid) virtio device id";
        }
        int nvqs = d.vqCount();
        if (nvqs < 1 || nvqs > 0x10000) {
            return "nvqs " + nvqs + " is outside 1..65536";
        }
        int min = d.getVqNumMin();
        int max = d.getVqNumMax();
        if (min < 1) {
            return "get_vq_num_min returns " + min + "; a queue needs at least one entry";
        }
        if (max < min) {
            return "get_vq_num_max " + max + " is below get_vq_num_min " + min;
        }
        if (max > Virtq.VIRTQ_MAX_SIZE) {
            return "get_vq_num_max " + max + " exceeds the virtio limit " + Virtq.VIRTQ_MAX_SIZE;
        }
        int align = d.getVqAlign();
        if (align <= 0 || Integer.bitCount(align) != 1) {
            return "get_vq_align " + align + " is not a power of two";
        }
        if (d.getConfigSize() < 0) {
            return "get_config_size " + d.getConfigSize() + " is negative";
        }
        int ngroups = d.groupCount();
        int nas = d.addressSpaceCount();
        if (ngroups < 1 || nas < 1) {
            return "ngroups " + ngroups + " and nas " + nas + " must both be at least 1";
        }
        for (int i = 0; i < nvqs; i++) {
            int size = d.getVqSize(i);
            if (size < min || size > max) {
                return "get_vq_size(" + i + ") " + size + " is outside get_vq_num_min..max " + min + ".." + max;
            }
            int g = d.getVqGroup(i);
            int dg = d.getVqDescGroup(i);
            if (g < 0 || g >= ngroups || dg < 0 || dg >= ngroups) {
                return "vq " + i + " is in group " + g + " (descriptors " + dg + ") but the device has " + ngroups + " groups";
            }
        }
        if (nas > 1 && !(d instanceof VdpaAsidOps)) {
            return "nas " + nas + " > 1 without set_group_asid: no way to use the other address spaces";
        }
        if (nas > 1 && !setMap && !dmaMap) {
            return "nas " + nas + " > 1 needs device-side translation (set_map or dma_map)";
        }
        if (d.usesVa() && !setMap && !dmaMap) {
            return "use_va without set_map or dma_map: virtual addresses need device-side translation";
        }
        if (d instanceof VdpaResetMapOps && !setMap && !dmaMap) {
            return "reset_map without set_map or dma_map: there is no device mapping to reset";
        }
        if (d instanceof VdpaBindMmOps && !d.usesVa()) {
            return "bind_mm on a device that does not use virtual addresses (use_va false)";
        }
        if (VirtioFeatures.has(d.getDeviceFeatures(), VirtioFeatures.VIRTIO_F_NOTIFICATION_DATA) && !(d instanceof VdpaNotifyDataOps)) {
            return "offers VIRTIO_F_NOTIFICATION_DATA without kick_vq_with_data";
        }
        IovaRange r = d.getIovaRange();
        if (r == null) {
            return "get_iova_range returns null";
        }
        int status = d.getStatus();
        if (status != 0) {
            return "status 0x" + Integer.toHexString(status) + " at registration; a new device must be reset (0)";
        }
        return null;
    }
}
