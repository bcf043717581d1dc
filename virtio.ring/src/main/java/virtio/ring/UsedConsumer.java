package virtio.ring;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives used buffers from {@link DriverQueue#drainUsed}. */
@ConsumerType
@FunctionalInterface
public interface UsedConsumer {

    /**
     * One used buffer.
     *
     * @param token what was passed to {@link DriverQueue#add}
     * @param length bytes the device wrote, never more than the buffer offered
     */
    void used(Object token, int length);
}
