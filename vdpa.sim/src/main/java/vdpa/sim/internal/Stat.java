package vdpa.sim.internal;

/**
 * The per-queue counters, named as {@code vdpa dev vstats} prints them. Each belongs to the
 * queue role it is shown for; every frame a device sends or receives ends in exactly one
 * {@code *_frames} or {@code *_drop_*} counter. Links are lossless: a frame waits for room rather
 * than being dropped, and the waits are counted as events ({@code rx_wait_buffer},
 * {@code tx_pause}), never as frames.
 */
enum Stat {
    // ---- receive queues
    /** Frames written into RX buffers. */
    RX_FRAMES(Role.RX),
    /** Their bytes (Ethernet frame, without the virtio_net_hdr). */
    RX_BYTES(Role.RX),
    /** Dropped: without MRG_RXBUF the one buffer was smaller than header + frame; the buffer came back with length 0. */
    RX_DROP_BUFFER_SMALL(Role.RX),
    /** Dropped: longer than MTU + 14. */
    RX_DROP_OVERSIZE(Role.RX),
    /** Dropped by the RX filter: unicast to another address, promiscuous mode off. */
    RX_DROP_FILTER_UNICAST(Role.RX),
    /** Dropped by the RX filter: multicast not in the table, all-multicast off. */
    RX_DROP_FILTER_MULTICAST(Role.RX),
    /**
     * Dropped: the device could never deliver it: not DRIVER_OK, needing reset or failed when it
     * arrived, reset while it waited in the FIFO, or the queue not ready. (A suspended device keeps
     * frames and back-pressures.)
     */
    RX_DROP_NOT_READY(Role.RX, true),
    /**
     * Event: the frame at the head of the FIFO found no RX buffer (or too few for a mergeable
     * frame) and waits for the driver to post more. Counted once per wait, not per frame.
     */
    RX_WAIT_BUFFER(Role.RX),
    // ---- transmit queues
    /** Frames put on the link (the receiving side counts their fate). */
    TX_FRAMES(Role.TX),
    /** Their bytes. */
    TX_BYTES(Role.TX),
    /** Dropped: the link is down (a cable with one end). */
    TX_DROP_LINK_DOWN(Role.TX),
    /** Dropped: longer than MTU + 14. */
    TX_DROP_OVERSIZE(Role.TX),
    /** Dropped: shorter than the virtio_net_hdr plus an Ethernet header. */
    TX_DROP_MALFORMED(Role.TX),
    /**
     * Event: the peer's receive FIFO for this queue was full, so the queue stopped taking chains
     * (they stay in the ring) until the peer frees room. Counted once per pause.
     */
    TX_PAUSE(Role.TX),
    // ---- control queue
    /** Commands answered VIRTIO_NET_OK. */
    CTRL_OK(Role.CTRL),
    /** Commands answered VIRTIO_NET_ERR. */
    CTRL_ERR(Role.CTRL),
    /** Commands with no room for the ack byte (returned with length 0). */
    CTRL_NO_ACK(Role.CTRL),
    // ---- every queue
    /** Available buffer notifications (kick_vq). */
    KICKS(Role.ANY, true),
    /** Used buffer notifications sent (the vq callback ran). */
    INTERRUPTS(Role.ANY),
    // ---- a TAP link's own counters (vdpasim:show), moved by its thread only
    /** Frames the device sent that the kernel took (written to the TAP). */
    TAP_TO_HOST_FRAMES(Role.TAP),
    /** Their bytes. */
    TAP_TO_HOST_BYTES(Role.TAP),
    /** Dropped: the kernel refused the write with EIO, the interface is down. */
    TAP_TO_HOST_DROP_DOWN(Role.TAP),
    /** Dropped: the kernel refused the write with another errno. */
    TAP_TO_HOST_DROP_ERROR(Role.TAP),
    /** Frames read from the TAP and handed to the device (whose RX counters say what became of them). */
    TAP_FROM_HOST_FRAMES(Role.TAP),
    /** Their bytes. */
    TAP_FROM_HOST_BYTES(Role.TAP),
    /** Dropped: read, but the device's FIFO filled between asking for room and delivering. */
    TAP_FROM_HOST_DROP_FULL(Role.TAP),
    /** Event: the device had no room, so reading stopped until it freed some. Counted once per wait. */
    TAP_FROM_HOST_WAIT(Role.TAP),
    // ---- a sink's counters (a generator link is a sink too), moved by the sending device's worker only
    /** Frames the device sent into the sink: counted and dropped. */
    SINK_FRAMES(Role.SINK),
    /** Their bytes. */
    SINK_BYTES(Role.SINK),
    // ---- a generator link's own counters, moved by its thread only
    /** Frames handed to the device (its RX counters say what became of them). */
    GENERATOR_FRAMES(Role.GENERATOR),
    /** Their bytes. */
    GENERATOR_BYTES(Role.GENERATOR),
    /**
     * Event: the device's receive FIFO was full (its driver posted no RX buffers fast enough), so
     * the generator waited for room instead of dropping. Counted once per wait.
     */
    GENERATOR_WAIT_BUFFER(Role.GENERATOR),
    /** Event: the device did not receive (not DRIVER_OK), so the generator waited for it. Counted once per wait. */
    GENERATOR_WAIT_READY(Role.GENERATOR);

    /** Which queues show the counter (a link's roles: none, the link does). */
    enum Role {
        RX, TX, CTRL, ANY, TAP, SINK, GENERATOR;

        /** Whether the counters are a queue's (not a link's). */
        boolean queue() {
            return this == RX || this == TX || this == CTRL || this == ANY;
        }
    }

    final Role role;
    final String word;
    /** Moved by threads other than the device worker too: always counted atomically. */
    final boolean shared;

    Stat(Role role) {
        this(role, false);
    }

    Stat(Role role, boolean shared) {
        this.role = role;
        this.word = name().toLowerCase(java.util.Locale.ROOT);
        this.shared = shared;
    }
}
