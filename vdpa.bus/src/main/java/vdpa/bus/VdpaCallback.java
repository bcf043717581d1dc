package vdpa.bus;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An interrupt from a vDPA device to its driver (the kernel's {@code struct vdpa_callback}):
 * installed per virtqueue with {@link VdpaDevice#setVqCb} and for config changes with
 * {@link VdpaDevice#setConfigCb}. The device calls it from its own worker; it must be short.
 */
@ConsumerType
@FunctionalInterface
public interface VdpaCallback {

    /** The device signalled: used buffers on the queue, or a config change. */
    void interrupt();
}
