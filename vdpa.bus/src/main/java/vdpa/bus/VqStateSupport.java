package vdpa.bus;

/**
 * What a device's {@link VdpaDevice#setVqState} and {@link VdpaDevice#getVqState} can do. A
 * device keeps queue positions of its own (a simulator, a vendor's hardware with its own state
 * registers) or has only the virtio transport's registers, which cannot report where a queue
 * stands nor start it anywhere but at the beginning (the kernel's vp_vdpa returns -EOPNOTSUPP for
 * both). A driver that needs a queue's position (vhost's GET_VRING_BASE, a move to another
 * device, live migration) asks first.
 */
public enum VqStateSupport {
    /** Any state can be set while a queue is stopped, and the state can be read back at any time. */
    SAVE_RESTORE,
    /**
     * Only {@link VqState#initial} can be set (anything else is refused with an
     * {@link UnsupportedOperationException}); reading the state is refused the same way.
     */
    INITIAL_ONLY
}
