package vhost.uapi.internal.proto;

/**
 * Everything a front-end can do wrong, as one closed set: each closes that front-end's
 * connection, is logged with its detail and counted per device.
 */
public enum ProtocolError {
    /** The header's version bits are not 1. */
    BAD_VERSION,
    /** A front-end message carries the reply flag. */
    UNEXPECTED_REPLY,
    /** A request number this back-end does not serve. */
    UNKNOWN_REQUEST,
    /** A request whose protocol feature was not negotiated. */
    NOT_NEGOTIATED,
    /** The payload size does not fit the request. */
    BAD_SIZE,
    /** More or fewer descriptors than the request takes. */
    BAD_FD_COUNT,
    /** The connection ended or stalled inside a message. */
    TRUNCATED,
    /** A ring index at or above the device's queue count. */
    BAD_QUEUE_INDEX,
    /** A ring size the device cannot take. */
    BAD_QUEUE_SIZE,
    /** A ring base that is not a position of the ring's layout. */
    BAD_QUEUE_BASE,
    /** A memory region that is empty, wraps, or overlaps another. */
    BAD_REGION,
    /** More regions than the table or the slots allow. */
    TOO_MANY_REGIONS,
    /** A region that reaches past the end of its descriptor's file (fstat). */
    REGION_BEYOND_FILE,
    /** A memory region without a descriptor: the front-end's memory is not shared. */
    MEMORY_NOT_SHARED,
    /**
     * A region's file shrank under its mapping after it was mapped (a memfd not sealed with
     * F_SEAL_SHRINK, a hugetlbfs file): the device's accesses there fault.
     */
    REGION_SHRUNK,
    /** The region's descriptor could not be mapped. */
    MAP_FAILED,
    /** REM_MEM_REG of a region that was never added. */
    NO_SUCH_REGION,
    /** A ring area that no region's user addresses hold whole. */
    BAD_RING_ADDRESS,
    /** Features the back-end did not offer. */
    FEATURES_NOT_OFFERED,
    /** A config access outside the device's config space or larger than a message holds. */
    BAD_CONFIG_ACCESS,
    /** An MTU outside 68..65535. */
    BAD_MTU,
    /** The device refused a ring set up as the front-end asked (its size, addresses or base). */
    DEVICE_REFUSED,
    /** A kick, call or err descriptor that does not behave as an eventfd (a read or write of other than 8 bytes). */
    NOT_AN_EVENTFD
}
