package virtio.ring;

/**
 * Why a queue refused what the other side wrote: the closed set of faults a hostile or broken peer
 * can cause. A refusal marks the queue broken; the reason is counted in a {@link RingErrorCounter}
 * and logged once. Device-side reasons are driver faults (the device then sets
 * DEVICE_NEEDS_RESET); driver-side reasons are device faults.
 */
public enum RingError {
    // --- found by the device side in what the driver wrote ---

    /** A ring part is unmapped, misaligned, lacks the needed permission, or the queue size is invalid. */
    RING_ADDRESS_INVALID,
    /** The available index is more than the queue size ahead of the last one consumed. */
    AVAIL_IDX_AHEAD,
    /** A head descriptor index in the available ring is not below the queue size. */
    HEAD_OUT_OF_RANGE,
    /** A {@code next} index is not below the queue size (or, in an indirect table, its entry count). */
    NEXT_OUT_OF_RANGE,
    /** A chain in the ring has more descriptors than the queue size: a loop. */
    CHAIN_TOO_LONG,
    /** A chain inside an indirect table has more descriptors than the table or the queue size: a loop. */
    INDIRECT_CHAIN_TOO_LONG,
    /** VIRTQ_DESC_F_INDIRECT is used but VIRTIO_F_INDIRECT_DESC was not negotiated. */
    INDIRECT_NOT_NEGOTIATED,
    /** An indirect table contains a descriptor with VIRTQ_DESC_F_INDIRECT. */
    NESTED_INDIRECT,
    /** A descriptor has both VIRTQ_DESC_F_INDIRECT and VIRTQ_DESC_F_NEXT. */
    INDIRECT_WITH_NEXT,
    /** An indirect table length is zero or not a multiple of 16. */
    INDIRECT_BAD_LENGTH,
    /** A device-readable descriptor follows a device-writable one. */
    READABLE_AFTER_WRITABLE,
    /** A descriptor's address plus length wraps past 2^64. */
    ADDRESS_WRAP,
    /** A buffer or indirect table lies (partly) outside every mapping of the address space. */
    UNMAPPED_ADDRESS,
    /** A buffer or indirect table lies in a mapping without the needed read or write permission. */
    PERMISSION_DENIED,
    /** The buffers of one chain add up to more than 2^32 bytes. */
    CHAIN_BYTES_TOO_LARGE,
    /** A packed ring buffer id is not below the queue size. */
    PACKED_ID_OUT_OF_RANGE,
    /** Shared memory went away under the queue (its arena was closed). */
    MEMORY_FAULT,

    // --- found by the driver side in what the device wrote ---

    /** A used entry names a buffer id that is not an outstanding head. */
    USED_ID_NOT_OUTSTANDING,
    /** A used entry's length exceeds the device-writable bytes that buffer offered. */
    USED_LEN_TOO_LARGE,
    /** The used index is more than the queue size ahead (or an in-order batch overruns it). */
    USED_IDX_AHEAD
}
