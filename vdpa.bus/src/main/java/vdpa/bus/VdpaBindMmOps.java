package vdpa.bus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Optional (the kernel's bind_mm and unbind_mm): for a device that uses virtual addresses
 * ({@link VdpaDevice#usesVa()}), binding it to the process whose addresses its IOTLB holds. In a
 * JVM the bound process is usually this one; a vhost-user frontend's memory is mapped into it.
 */
@ProviderType
public interface VdpaBindMmOps extends VdpaDevice {

    /** Resolves IOTLB addresses in the address space of {@code process} from now on (bind_mm). */
    void bindMm(ProcessHandle process);

    /** Drops the binding made by {@link #bindMm} (unbind_mm). */
    void unbindMm();
}
