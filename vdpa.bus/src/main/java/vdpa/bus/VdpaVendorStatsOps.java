package vdpa.bus;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Optional vendor statistics per virtqueue (the kernel's get_vendor_vq_stats, iproute2's
 * {@code vdpa dev vstats show <dev> qidx <N>}): named counters the device keeps for one queue,
 * such as frames, bytes and drops by reason. Names are the device's own; values are unsigned
 * 64-bit counts that only grow while the device exists.
 */
@ProviderType
public interface VdpaVendorStatsOps extends VdpaDevice {

    /**
     * The counters of virtqueue {@code idx} (get_vendor_vq_stats), in the device's order. A
     * snapshot: each value is read once, the set is not atomic across counters.
     *
     * @throws IllegalArgumentException if {@code idx} is not below {@link VdpaDevice#vqCount()}
     */
    Map<String, Long> vendorVqStats(int idx);
}
