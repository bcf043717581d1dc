package vhost.uapi.internal.proto;

/**
 * The front-end's requests (QEMU docs/interop/vhost-user.rst, "Front-end message types"), with the
 * numbers of the protocol, the payload each carries and how many descriptors may come with it.
 * Requests this back-end does not serve (logging, postcopy, inflight, crypto, GPU, IOTLB) are not
 * listed: a front-end that sends one has sent an unknown request.
 */
public enum Request {
    GET_FEATURES(1, Payload.NONE, 0, true),
    SET_FEATURES(2, Payload.U64, 0, false),
    SET_OWNER(3, Payload.NONE, 0, false),
    RESET_OWNER(4, Payload.NONE, 0, false),
    /** {@code u32 nregions; u32 padding; region[nregions]}, one fd per region. */
    SET_MEM_TABLE(5, Payload.MEM_TABLE, Wire.MAX_TABLE_REGIONS, false),
    SET_VRING_NUM(8, Payload.VRING_STATE, 0, false),
    SET_VRING_ADDR(9, Payload.VRING_ADDR, 0, false),
    SET_VRING_BASE(10, Payload.VRING_STATE, 0, false),
    GET_VRING_BASE(11, Payload.VRING_STATE, 0, true),
    /** u64: bits 0-7 the ring, bit 8 (NOFD) no descriptor: poll. */
    SET_VRING_KICK(12, Payload.U64, 1, false),
    SET_VRING_CALL(13, Payload.U64, 1, false),
    SET_VRING_ERR(14, Payload.U64, 1, false),
    GET_PROTOCOL_FEATURES(15, Payload.NONE, 0, true),
    SET_PROTOCOL_FEATURES(16, Payload.U64, 0, false),
    GET_QUEUE_NUM(17, Payload.NONE, 0, true),
    SET_VRING_ENABLE(18, Payload.VRING_STATE, 0, false),
    /** u64: the MAC to announce (RARP protocol feature). */
    SEND_RARP(19, Payload.U64, 0, false),
    NET_SET_MTU(20, Payload.U64, 0, false),
    /** No payload; the descriptor of the back-end channel. */
    SET_BACKEND_REQ_FD(21, Payload.NONE, 1, false),
    GET_CONFIG(24, Payload.CONFIG, 0, true),
    SET_CONFIG(25, Payload.CONFIG, 0, false),
    RESET_DEVICE(34, Payload.NONE, 0, false),
    GET_MAX_MEM_SLOTS(36, Payload.NONE, 0, true),
    /** {@code u64 padding; region}, its fd. */
    ADD_MEM_REG(37, Payload.MEM_REGION, 1, false),
    /** {@code u64 padding; region}; an fd, if one comes, is closed unused (as the protocol allows). */
    REM_MEM_REG(38, Payload.MEM_REGION, 1, false),
    SET_STATUS(39, Payload.U64, 0, false),
    GET_STATUS(40, Payload.NONE, 0, true);

    /** What a request's payload is. */
    public enum Payload {
        NONE, U64, VRING_STATE, VRING_ADDR, MEM_TABLE, MEM_REGION, CONFIG
    }

    private static final Request[] BY_NUMBER = new Request[64];

    static {
        for (Request r : values()) {
            BY_NUMBER[r.number] = r;
        }
    }

    /** The protocol's number for it. */
    public final int number;
    public final Payload payload;
    /** The most descriptors it may carry. */
    public final int maxFds;
    /** Whether it always has a reply (a GET), whatever REPLY_ACK says. */
    public final boolean replies;

    Request(int number, Payload payload, int maxFds, boolean replies) {
        this.number = number;
        this.payload = payload;
        this.maxFds = maxFds;
        this.replies = replies;
    }

    /** The request of that number, or null. */
    public static Request of(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
