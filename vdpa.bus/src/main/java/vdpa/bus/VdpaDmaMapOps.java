package vdpa.bus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Optional incremental DMA translation (the kernel's dma_map and dma_unmap, which it requires
 * together: here they are one interface, so a device cannot offer one without the other).
 */
@ProviderType
public interface VdpaDmaMapOps extends VdpaDevice {

    /**
     * Adds one translation to address space {@code asid} (dma_map).
     *
     * @throws IllegalArgumentException bad asid, a range outside {@link VdpaDevice#getIovaRange()},
     *     or one overlapping an existing mapping
     */
    void dmaMap(int asid, IotlbMapping mapping);

    /** Removes the translations of {@code [iova, iova + size)} from address space {@code asid} (dma_unmap). */
    void dmaUnmap(int asid, long iova, long size);
}
