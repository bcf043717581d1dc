package virtio.spec;

/**
 * What the split and the packed virtqueue share (virtio 1.2 sections 2.6 to 2.8): the descriptor
 * flags both layouts define with the same values, the largest queue size, and the alignment each
 * of a queue's three areas needs in its layout. The layouts themselves are {@link VirtqSplit} and
 * {@link VirtqPacked}; {@link VirtioFeatures#VIRTIO_F_RING_PACKED} picks one.
 */
public final class Virtq {
    private Virtq() {}

    /** Descriptor flag 1: the buffer continues in the next descriptor (split: the one {@code next} names; 2.7.5, 2.8.6). */
    public static final int VIRTQ_DESC_F_NEXT = 1;
    /** Descriptor flag 2: the buffer is device write-only, else device read-only (2.7.5, 2.8.3). */
    public static final int VIRTQ_DESC_F_WRITE = 2;
    /** Descriptor flag 4: the buffer holds a table of descriptors; needs VIRTIO_F_INDIRECT_DESC (2.7.5.3, 2.8.7). */
    public static final int VIRTQ_DESC_F_INDIRECT = 4;

    /** The largest Queue Size: 32768 for split rings (a power of two, 2.7), 2^15 for packed rings (2.8). */
    public static final int VIRTQ_MAX_SIZE = 32768;

    /**
     * The alignment the descriptor area needs (2.7 table, 2.8.10.1): 16 bytes in both layouts.
     *
     * @param packed whether VIRTIO_F_RING_PACKED is negotiated
     */
    public static int descAreaAlign(boolean packed) {
        return packed ? VirtqPacked.PVIRTQ_DESC_ALIGN : VirtqSplit.VIRTQ_DESC_ALIGN;
    }

    /**
     * The alignment the driver area needs: the split available ring 2 bytes (2.7 table), the packed
     * driver event suppression structure 4 bytes (2.8.10.1).
     */
    public static int driverAreaAlign(boolean packed) {
        return packed ? VirtqPacked.PVIRTQ_EVENT_SUPPRESS_ALIGN : VirtqSplit.VIRTQ_AVAIL_ALIGN;
    }

    /**
     * The alignment the device area needs: the split used ring 4 bytes (2.7 table), the packed
     * device event suppression structure 4 bytes (2.8.10.1).
     */
    public static int deviceAreaAlign(boolean packed) {
        return packed ? VirtqPacked.PVIRTQ_EVENT_SUPPRESS_ALIGN : VirtqSplit.VIRTQ_USED_ALIGN;
    }

    /**
     * Why the three area addresses of a queue break their layout's alignment, naming each area at
     * fault with its address and the alignment it needs, or null when all three are aligned.
     */
    public static String misalignment(boolean packed, long descArea, long driverArea, long deviceArea) {
        StringBuilder b = new StringBuilder();
        misaligned(b, "descriptor area", descArea, descAreaAlign(packed));
        misaligned(b, "driver area", driverArea, driverAreaAlign(packed));
        misaligned(b, "device area", deviceArea, deviceAreaAlign(packed));
        return b.isEmpty() ? null : (packed ? "packed" : "split") + " ring " + b;
    }

    private static void misaligned(StringBuilder b, String area, long addr, int align) {
        if ((addr & (align - 1)) != 0) {
            b.append(b.isEmpty() ? "" : ", ").append(area).append(" 0x").append(Long.toHexString(addr))
                    .append(" is not ").append(align).append("-byte aligned");
        }
    }
}
