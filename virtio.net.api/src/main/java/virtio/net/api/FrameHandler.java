package virtio.net.api;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives frames from a {@link NetDevice} (the kernel's netif_receive_skb, one frame at a time).
 *
 * <p>Called on the driver's receive thread for the queue (or on the thread calling
 * {@link NetDevice#poll}): return quickly, the queue's RX ring is not refilled while it runs.
 */
@ConsumerType
@FunctionalInterface
public interface FrameHandler {

    /**
     * One received Ethernet frame, without the virtio-net header and without FCS.
     *
     * @param queue the queue pair it arrived on, 0-based
     * @param frame a read-only view valid only during this call: copy what you keep. It may be a
     *     slice of the device's DMA memory, so it must not escape.
     */
    void frame(int queue, MemorySegment frame);
}
