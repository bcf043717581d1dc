package virtio.bus;

import virtio.spec.DeviceStatus;

/**
 * The driver side's rules for writing the device status (virtio 1.2 section 2.1.1 and the
 * initialization order of 3.1.1), over the spec's {@link DeviceStatus} bits, in one method,
 * {@link #transition(int, int)}. The bus checks every write it makes with it; a device applies its
 * own rules to what it receives.
 */
public final class DriverStatusRules {
    private DriverStatusRules() {}

    /**
     * Checks a driver's write of {@code written} over the current status {@code current} and
     * returns the new status.
     *
     * <p>Rules: 0 resets and is always legal. Otherwise no bit may be cleared, DEVICE_NEEDS_RESET
     * may not be raised by the driver, nothing but FAILED may be added once FAILED or
     * DEVICE_NEEDS_RESET is set (the driver must reset first), and each newly set bit needs its
     * predecessors: ACKNOWLEDGE first, then DRIVER, then FEATURES_OK, then DRIVER_OK. Several bits
     * may be added in one write if they are added in a legal order. FAILED may be added at any time.
     *
     * @return {@code written}, when legal
     * @throws IllegalStateException naming the broken rule
     */
    public static int transition(int current, int written) {
        current &= 0xff;
        written &= 0xff;
        if (written == 0) {
            return 0;
        }
        int cleared = current & ~written;
        if (cleared != 0) {
            throw new IllegalStateException("status write 0x" + hex(written) + " clears " + DeviceStatus.of(cleared)
                    + " of 0x" + hex(current) + "; only a reset (0) clears bits");
        }
        int added = written & ~current;
        if (DeviceStatus.DEVICE_NEEDS_RESET.in(added)) {
            throw new IllegalStateException("DEVICE_NEEDS_RESET is set by the device only");
        }
        int steps = added & ~DeviceStatus.FAILED.value();
        if (steps == 0) {
            return written;
        }
        if (DeviceStatus.FAILED.in(current) || DeviceStatus.DEVICE_NEEDS_RESET.in(current)) {
            throw new IllegalStateException("status 0x" + hex(current) + " has "
                    + (DeviceStatus.FAILED.in(current) ? "FAILED" : "DEVICE_NEEDS_RESET") + ": reset before setting "
                    + DeviceStatus.of(steps));
        }
        int reserved = steps & ~DeviceStatus.known();
        if (reserved != 0) {
            throw new IllegalStateException("status write 0x" + hex(written) + " sets reserved bits 0x" + hex(reserved));
        }
        int s = current;
        // Walk the steps in spec order; each needs the one before it already set.
        for (DeviceStatus step : DeviceStatus.initializationOrder()) {
            if (!step.in(steps)) {
                continue;
            }
            DeviceStatus before = step.previousStep();
            if (before != null && !before.in(s)) {
                throw new IllegalStateException(step + " needs " + before + " first (status 0x" + hex(current) + ")");
            }
            s |= step.value();
        }
        return written;
    }

    /** {@link #transition(int, int)} for adding one bit to the current status. */
    public static int advance(int current, DeviceStatus step) {
        return transition(current, current | step.value());
    }

    private static String hex(int v) {
        return Integer.toHexString(v);
    }
}
