package virtio.ring;

import virtio.spec.VirtioFeatures;

/**
 * A device-side queue's position, as the vDPA {@code get_vq_state}/{@code set_vq_state} carry it,
 * so a quiesced queue can move to another device instance. Buffers popped but not yet returned are
 * not part of the state: suspend the device (let it return them) before taking the state.
 */
public sealed interface VirtqueueState {

    /** The state of a fresh queue of the layout {@code features} select. */
    static VirtqueueState initial(long features) {
        return VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_RING_PACKED)
                ? new Packed(0, true, 0, true) : new Split(0, 0);
    }

    /**
     * Split ring state.
     *
     * @param lastAvailIdx the next available ring index the device will consume (16 bits, free-running)
     * @param usedIdx the used ring index the device will publish next (16 bits, free-running)
     */
    record Split(int lastAvailIdx, int usedIdx) implements VirtqueueState {
        public Split {
            if ((lastAvailIdx & ~0xffff) != 0 || (usedIdx & ~0xffff) != 0) {
                throw new IllegalArgumentException("split ring indices are 16 bits");
            }
        }
    }

    /**
     * Packed ring state.
     *
     * @param lastAvailIdx ring offset of the next descriptor the device will read
     * @param lastAvailWrap the device's wrap counter for reading
     * @param lastUsedIdx ring offset where the device will write the next used descriptor
     * @param lastUsedWrap the device's wrap counter for writing
     */
    record Packed(int lastAvailIdx, boolean lastAvailWrap, int lastUsedIdx, boolean lastUsedWrap)
            implements VirtqueueState {
        public Packed {
            if ((lastAvailIdx & ~0x7fff) != 0 || (lastUsedIdx & ~0x7fff) != 0) {
                throw new IllegalArgumentException("packed ring offsets are 15 bits");
            }
        }
    }
}
