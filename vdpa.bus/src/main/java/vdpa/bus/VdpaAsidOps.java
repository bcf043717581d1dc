package vdpa.bus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Optional (the kernel's set_group_asid): moving a virtqueue group to another address space,
 * e.g. the control queue of a net device into its own so the datapath can be passed through
 * while the control path is shadowed. Required by the bus when {@link VdpaDevice#addressSpaceCount()} > 1.
 */
@ProviderType
public interface VdpaAsidOps extends VdpaDevice {

    /** Attaches virtqueue group {@code group} to address space {@code asid} (set_group_asid). */
    void setGroupAsid(int group, int asid);
}
