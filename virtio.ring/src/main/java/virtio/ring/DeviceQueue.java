package virtio.ring;

import org.osgi.annotation.versioning.ProviderType;
import virtio.ring.internal.PackedDevice;
import virtio.ring.internal.SplitDevice;
import virtio.spec.VirtioFeatures;

/**
 * The device side of one virtqueue (vringh, rust-vmm's {@code Queue}): takes validated buffers,
 * returns them used, and decides whether to notify the driver.
 *
 * <p>The ring may live in memory another process owns: every address, the three ring areas
 * included, is resolved through the {@link AddressSpace} (with VIRTIO_F_ACCESS_PLATFORM they are
 * IOVAs, else guest-physical addresses; the space maps either). Everything read from the ring is
 * read once and checked. A violation marks the queue broken with a {@link RingError} (the device
 * turns that into DEVICE_NEEDS_RESET); nothing throws into the caller.
 *
 * <p>Single-threaded: one device worker per queue.
 */
@ProviderType
public interface DeviceQueue {

    /** A queue starting from the initial state, counting errors on its own. */
    static DeviceQueue open(AddressSpace space, int size, long features, long descAddress, long driverAddress,
            long deviceAddress) {
        return open(space, size, features, descAddress, driverAddress, deviceAddress,
                VirtqueueState.initial(features), new RingErrorCounter("device"));
    }

    /**
     * A queue over the ring at the given bus addresses, resuming from {@code state}. If an area is
     * unmapped, misaligned or lacks permission, or the size is invalid, the queue is returned
     * already broken with {@link RingError#RING_ADDRESS_INVALID}.
     *
     * @throws IllegalArgumentException if {@code state} is of the other layout
     */
    static DeviceQueue open(AddressSpace space, int size, long features, long descAddress, long driverAddress,
            long deviceAddress, VirtqueueState state, RingErrorCounter errors) {
        if (VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_RING_PACKED)) {
            if (!(state instanceof VirtqueueState.Packed p)) {
                throw new IllegalArgumentException("packed ring needs a packed state");
            }
            return new PackedDevice(space, size, features, descAddress, driverAddress, deviceAddress, p, errors);
        }
        if (!(state instanceof VirtqueueState.Split s)) {
            throw new IllegalArgumentException("split ring needs a split state");
        }
        return new SplitDevice(space, size, features, descAddress, driverAddress, deviceAddress, s, errors);
    }

    /** Queue size. */
    int size();

    /** A fresh chain object to fill with {@link #pop(DescriptorChain)}. */
    DescriptorChain newChain();

    /**
     * The next available buffer, validated, in a chain object the queue reuses; null if none is
     * available or the queue is broken.
     *
     * <p>While notifications are enabled, null is a safe point to wait for an available buffer
     * notification: with EVENT_IDX the queue re-advertises its position behind a full fence and
     * looks again before it answers null, so a buffer the driver adds afterwards is kicked.
     */
    DescriptorChain pop();

    /** As {@link #pop()}, into {@code into} (from {@link #newChain()}); false if none. */
    boolean pop(DescriptorChain into);

    /**
     * Writes a used entry; it becomes visible with the next {@link #publishUsed()}. Batch several.
     *
     * <p>With VIRTIO_F_IN_ORDER, buffers must be pushed in the order they were popped; the entries
     * are written at publish time, and a run of buffers each used completely (written length equal
     * to its writable bytes) is written as one entry together with the buffer after it (2.7.9, 2.8.13).
     *
     * @param id a chain's {@link DescriptorChain#id()}
     * @param writtenLength bytes written into the chain's writable parts
     * @throws IllegalArgumentException if the id is out of range, was never popped (packed), or is
     *     pushed out of order under VIRTIO_F_IN_ORDER: the device's own bugs
     */
    void pushUsed(int id, int writtenLength);

    /**
     * Makes all pushed used entries visible to the driver with one index (split) or flags (packed)
     * update. Publish before taking {@link #state()}.
     */
    void publishUsed();

    /** Pushes and publishes one used buffer. */
    default void returnUsed(DescriptorChain chain, int writtenLength) {
        pushUsed(chain.id(), writtenLength);
        publishUsed();
    }

    /**
     * Whether the driver wants a used buffer notification for what was published since the last
     * call (EVENT_IDX or the driver's flags).
     */
    boolean needsNotify();

    /** Asks the driver not to send available buffer notifications (a hint). */
    void disableNotifications();

    /**
     * Asks for available buffer notifications again.
     *
     * @return true if buffers are already available: pop again rather than wait
     */
    boolean enableNotifications();

    /** The position to carry to another device instance (vDPA get_vq_state). */
    VirtqueueState state();

    /** Whether the driver wrote something refused: the device should report DEVICE_NEEDS_RESET. */
    boolean isBroken();

    /** Why the queue broke, or null. */
    RingError brokenReason();

    /** This queue's refusal counts. */
    RingErrorCounter errors();
}
