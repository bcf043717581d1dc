package vdpa.bus;

/**
 * Where a virtqueue's device side stands, for saving and restoring it across suspend, migration
 * or a driver change (the kernel's {@code struct vdpa_vq_state}, a union of split and packed).
 */
public sealed interface VqState {

    /**
     * Where a queue starts (the state a device takes at reset): split, available index 0; packed,
     * both indices 0 with both wrap counters set (virtio 1.2 section 2.8.1).
     */
    static VqState initial(boolean packed) {
        return packed ? Packed.INITIAL : Split.INITIAL;
    }

    /** Whether this is the initial state of its layout ({@link #initial}). */
    default boolean isInitial() {
        return equals(this instanceof Packed ? Packed.INITIAL : Split.INITIAL);
    }

    /**
     * Split-ring state (vdpa_vq_state_split).
     *
     * @param availIndex the next available-ring index the device will read, 0..65535
     */
    record Split(int availIndex) implements VqState {
        /** Available index 0. */
        public static final Split INITIAL = new Split(0);

        public Split {
            if (availIndex < 0 || availIndex > 0xffff) {
                throw new IllegalArgumentException("avail index " + availIndex + " is outside 0..65535");
            }
        }
    }

    /**
     * Packed-ring state (vdpa_vq_state_packed): two 15-bit indices, each with its wrap counter.
     *
     * @param lastAvailIdx the device's next descriptor index to read, 0..32767
     * @param lastAvailCounter the driver ring wrap counter the device last observed
     * @param lastUsedIdx the device's next used index, 0..32767
     * @param lastUsedCounter the device ring wrap counter
     */
    record Packed(int lastAvailIdx, boolean lastAvailCounter, int lastUsedIdx, boolean lastUsedCounter) implements VqState {
        /** Both indices 0, both wrap counters set. */
        public static final Packed INITIAL = new Packed(0, true, 0, true);

        public Packed {
            if (lastAvailIdx < 0 || lastAvailIdx > 0x7fff || lastUsedIdx < 0 || lastUsedIdx > 0x7fff) {
                throw new IllegalArgumentException("packed indices must be 15-bit: avail " + lastAvailIdx + ", used " + lastUsedIdx);
            }
        }
    }
}
