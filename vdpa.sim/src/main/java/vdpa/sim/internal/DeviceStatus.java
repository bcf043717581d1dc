package vdpa.sim.internal;

/**
 * The device status bits (virtio 1.2 section 2.1), with the spec's values. The status byte itself
 * is an int; {@link SimNetDevice#setStatus} is the one place that moves it.
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

    /** Whether this bit is set in {@code status}. */
    boolean in(int status) {
        return (status & bit) != 0;
    }
}
