package vdpa.sim.internal;

import virtio.spec.DeviceStatus;

/**
 * The device side's rules for the status byte (virtio 1.2 sections 2.1.2 and 3.1.1), over the
 * spec's {@link DeviceStatus} bits: unlike the driver side, a device refuses nothing outright, it
 * keeps only what it accepts. {@link #next} is every transition but reset, and
 * {@link SimDevice#setStatus} is the one place that moves the status.
 */
final class DeviceStatusRules {
    private DeviceStatusRules() {}

    /**
     * The status after the driver writes {@code requested} (not 0, which resets) over {@code old}:
     * bits accumulate until reset; FEATURES_OK sticks only for acceptable driver features;
     * DRIVER_OK only after FEATURES_OK; DEVICE_NEEDS_RESET is the device's alone.
     */
    static int next(int old, int requested, boolean featuresAcceptable) {
        int next = ((requested & 0xff) & ~DeviceStatus.DEVICE_NEEDS_RESET.value()) | old;
        if (DeviceStatus.FEATURES_OK.in(next) && !DeviceStatus.FEATURES_OK.in(old) && !featuresAcceptable) {
            next &= ~DeviceStatus.FEATURES_OK.value();
        }
        if (DeviceStatus.DRIVER_OK.in(next) && !DeviceStatus.FEATURES_OK.in(next)) {
            next &= ~DeviceStatus.DRIVER_OK.value();
        }
        return next;
    }

    /** DRIVER_OK, and neither NEEDS_RESET nor FAILED: the driver set the device up and it is not broken. */
    static boolean live(int status) {
        return DeviceStatus.DRIVER_OK.in(status) && !DeviceStatus.DEVICE_NEEDS_RESET.in(status)
                && !DeviceStatus.FAILED.in(status);
    }
}
