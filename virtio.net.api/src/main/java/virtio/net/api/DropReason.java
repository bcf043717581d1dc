package virtio.net.api;

/**
 * Why a frame did not reach its receiver or the device: the closed set of reasons a
 * {@link QueueStats} counts. Every frame the device hands the driver is either delivered or
 * counted under one of the RX reasons; every frame the driver accepted ({@link SendResult#SENT})
 * is either used by the device or counted under one of the TX reasons.
 */
public enum DropReason {
    /** RX: no handler was set and the queue's poll backlog was full (the kernel's netdev_max_backlog drop). */
    RX_BACKLOG_FULL,
    /**
     * RX: the device returned a malformed buffer: shorter than the virtio-net header, a frame
     * shorter than an Ethernet header or longer than the driver's limit, or a {@code num_buffers}
     * that is 0 or exceeds what is posted (the kernel's rx_length_errors).
     */
    RX_LENGTH_ERROR,
    /** RX: the frame handler threw; the frame counts as dropped, not delivered. */
    RX_HANDLER_ERROR,
    /** RX: the frame was waiting in the poll backlog when the device went away. */
    RX_ABORTED,
    /** TX: accepted, but the device was reset (removal) before it used the buffer. */
    TX_ABORTED
}
