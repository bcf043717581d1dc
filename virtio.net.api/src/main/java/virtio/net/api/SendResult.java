package virtio.net.api;

/**
 * What became of a frame handed to {@link NetDevice#send}. Only {@link #SENT} means the device
 * has it; every other result leaves the frame with the caller, and is counted on the queue.
 */
public enum SendResult {
    /** Copied into a TX buffer and made available to the device. */
    SENT,
    /**
     * Back-pressure: every TX buffer of the queue is in flight (the kernel's netif_stop_queue).
     * Nothing was sent; try again once the device has used some (e.g. after receiving, or shortly).
     */
    BUSY,
    /** The frame is shorter than an Ethernet header or longer than MTU plus the header; nothing was sent. */
    INVALID_LENGTH,
    /** The device is gone or its TX ring is broken; nothing was sent and nothing will be. */
    DOWN;

    /** Whether the device took the frame. */
    public boolean accepted() {
        return this == SENT;
    }
}
