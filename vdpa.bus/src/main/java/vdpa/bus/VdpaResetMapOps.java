package vdpa.bus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Optional (the kernel's reset_map): for a device whose mappings live apart from the virtio
 * life cycle (its {@link VdpaDevice#reset()} keeps them), a way to return an address space to its
 * initial mapping. Only meaningful with {@link VdpaSetMapOps} or {@link VdpaDmaMapOps}.
 */
@ProviderType
public interface VdpaResetMapOps extends VdpaDevice {

    /** Returns address space {@code asid} to the device's default mapping (reset_map). */
    void resetMap(int asid);
}
