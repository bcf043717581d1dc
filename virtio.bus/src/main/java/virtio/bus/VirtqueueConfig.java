package virtio.bus;

import virtio.spec.Virtq;

/**
 * One virtqueue as the transport needs to know it when the driver sets it up (the per-queue part of
 * the kernel's find_vqs, after the ring core allocated the ring).
 *
 * <p>The three areas are bus addresses as the device sees them (IOVAs: guest-physical or through
 * the device's IOTLB), never host pointers: the ring core owns the memory, the transport passes the
 * addresses on. Which layout (split or packed) they describe follows the negotiated
 * {@link virtio.spec.VirtioFeatures#VIRTIO_F_RING_PACKED}.
 *
 * @param index the queue index, below {@link VirtioDevice#queueCount()}
 * @param name a name for listings and logs (the kernel's vq name, e.g. {@code input.0})
 * @param size the queue size, 1..{@link VirtioDevice#queueMaxSize(int)}
 * @param descArea descriptor area (split: descriptor table; packed: descriptor ring), 16-byte aligned
 * @param driverArea driver area: split, the available ring, 2-byte aligned (2.7); packed, the driver
 *     event suppression structure, 4-byte aligned (2.8.10.1)
 * @param deviceArea device area (split: used ring; packed: device event suppression), 4-byte aligned
 * @param callback called on the device's notifications for this queue; {@code null} for a queue the
 *     driver polls (the kernel's NULL callback)
 */
public record VirtqueueConfig(int index, String name, int size, long descArea, long driverArea, long deviceArea,
        VirtqueueCallback callback) {

    /**
     * Checks the values a transport could never accept, whatever the device and the layout: the
     * alignments here are the split ring's, which both layouts need at least; the transport checks
     * those of the negotiated layout ({@link Virtq#misalignment}), which for a packed ring's driver
     * area is more.
     */
    public VirtqueueConfig {
        if (index < 0 || index > 0xffff) {
            throw new IllegalArgumentException("queue index " + index + " is outside 0..65535");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("queue " + index + " needs a name");
        }
        if (size < 1 || size > Virtq.VIRTQ_MAX_SIZE) {
            throw new IllegalArgumentException("queue " + index + " size " + size + " is outside 1.." + Virtq.VIRTQ_MAX_SIZE);
        }
        String misaligned = Virtq.misalignment(false, descArea, driverArea, deviceArea);
        if (misaligned != null) {
            throw new IllegalArgumentException("queue " + index + " is misaligned for either layout: " + misaligned);
        }
    }
}
