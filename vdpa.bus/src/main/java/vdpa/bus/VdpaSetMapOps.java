package vdpa.bus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Optional whole-table DMA translation (the kernel's set_map): for a device with its own
 * translation (an on-chip IOMMU) that takes a complete address space at once.
 */
@ProviderType
public interface VdpaSetMapOps extends VdpaDevice {

    /**
     * Replaces the translations of address space {@code asid} with {@code iotlb} (set_map).
     *
     * @throws IllegalArgumentException asid at or above {@link VdpaDevice#addressSpaceCount()}, or a
     *     mapping outside {@link VdpaDevice#getIovaRange()}
     */
    void setMap(int asid, Iotlb iotlb);
}
