package vdpa.bus;

import java.util.EnumSet;
import java.util.Set;

/**
 * The optional groups of vDPA config ops, each a capability interface a device implements in
 * addition to {@link VdpaDevice}. A user tests with {@code instanceof} (and gets the typed ops in
 * the same step); listings use {@link #of}.
 */
public enum VdpaCapability {
    /** {@link VdpaSuspendOps}: suspend, resume. */
    SUSPEND(VdpaSuspendOps.class, "suspend"),
    /** {@link VdpaSetMapOps}: set_map. */
    SET_MAP(VdpaSetMapOps.class, "set_map"),
    /** {@link VdpaDmaMapOps}: dma_map, dma_unmap. */
    DMA_MAP(VdpaDmaMapOps.class, "dma_map"),
    /** {@link VdpaResetMapOps}: reset_map. */
    RESET_MAP(VdpaResetMapOps.class, "reset_map"),
    /** {@link VdpaAsidOps}: set_group_asid. */
    GROUP_ASID(VdpaAsidOps.class, "set_group_asid"),
    /** {@link VdpaBindMmOps}: bind_mm, unbind_mm. */
    BIND_MM(VdpaBindMmOps.class, "bind_mm"),
    /** {@link VdpaNotifyDataOps}: kick_vq_with_data. */
    NOTIFY_DATA(VdpaNotifyDataOps.class, "kick_vq_with_data"),
    /** {@link VdpaVendorStatsOps}: get_vendor_vq_stats. */
    VENDOR_STATS(VdpaVendorStatsOps.class, "get_vendor_vq_stats");

    private final Class<? extends VdpaDevice> ops;
    private final String kernelName;

    VdpaCapability(Class<? extends VdpaDevice> ops, String kernelName) {
        this.ops = ops;
        this.kernelName = kernelName;
    }

    /** The capability interface. */
    public Class<? extends VdpaDevice> ops() {
        return ops;
    }

    /** The kernel op that names this group, for listings and error messages. */
    public String kernelName() {
        return kernelName;
    }

    /** Whether the device implements this group. */
    public boolean in(VdpaDevice device) {
        return ops.isInstance(device);
    }

    /** The groups the device implements. */
    public static Set<VdpaCapability> of(VdpaDevice device) {
        EnumSet<VdpaCapability> set = EnumSet.noneOf(VdpaCapability.class);
        for (VdpaCapability c : values()) {
            if (c.in(device)) {
                set.add(c);
            }
        }
        return set;
    }
}
