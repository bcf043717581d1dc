package virtio.bus;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a transport calls when the device signals a virtqueue (a used-buffer notification, the
 * kernel's vring_interrupt). Runs on the transport's notification thread: keep it short and hand
 * the work to the driver's own worker.
 */
@ConsumerType
@FunctionalInterface
public interface VirtqueueCallback {

    /** The device used buffers of queue {@code index} (or notified for another reason). */
    void notified(int index);
}
