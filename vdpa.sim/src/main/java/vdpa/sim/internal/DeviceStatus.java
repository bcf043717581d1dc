package vdpa.sim.internal;

/**
 * The device status bits (virtio 1.2 section 2.1), with the spec's values. The status byte itself
 * is an int; {@link #next} is every transition but reset, and {@link SimDevice#setStatus} is the
 * one place that moves it.
 */
enum DeviceStatus {
    ACKNOWLEDGE(1),
    DRIVER(2),
    DRIVER_OK(4),
    FEATURES_OK(8),
    DEVICE_NEEDS_RESET(0x40),
    FAILED(0x80);

    final int bit;

    DeviceStatus(int bit) {
        this.bit = bit;
    }

    /**
     * The status after the driver writes {@code requested} (not 0, which resets) over {@code old}
     * (virtio 1.2 section 3.1.1): bits accumulate until reset; FEATURES_OK sticks only for
     * acceptable driver features; DRIVER_OK only after FEATURES_OK; DEVICE_NEEDS_RESET is the
     * device's alone.
     */
    static int next(int old, int requested, boolean featuresAcceptable) {
        int next = ((requested & 0xff) & ~DEVICE_NEEDS_RESET.bit) | old;
        if (FEATURES_OK.in(next) && !FEATURES_OK.in(old) && !featuresAcceptable) {
            next &= ~FEATURES_OK.bit;
        }
        if (DRIVER_OK.in(next) && !FEATURES_OK.in(next)) {
            next &= ~DRIVER_OK.bit;
        }
        return next;
    }

    /** DRIVER_OK, and neither NEEDS_RESET nor FAILED: the driver set the device up and it is not broken. */
    static boolean live(int status) {
        return DRIVER_OK.in(status) && !DEVICE_NEEDS_RESET.in(status) && !FAILED.in(status);
    }

    /** Whether this bit is set in {@code status}. */
    boolean in(int status) {
        return (status & bit) != 0;
    }
}
