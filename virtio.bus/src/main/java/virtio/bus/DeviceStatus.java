package virtio.bus;

import java.util.EnumSet;
import java.util.Set;

/**
 * The device status bits (virtio spec 1.3, section 2.1 "Device Status Field") with their spec
 * values, and the lifecycle rules of section 3.1.1 in one method, {@link #transition(int, int)}.
 *
 * <p>Status travels as a raw byte between transport and bus; this enum names its bits. Writing 0 is
 * a reset and is always allowed.
 */
public enum DeviceStatus {
    /** The guest OS has found the device and recognised it as a valid virtio device. */
    ACKNOWLEDGE(1),
    /** The guest OS knows how to drive the device. */
    DRIVER(2),
    /** The driver is set up and ready to drive the device. */
    DRIVER_OK(4),
    /** The driver has acknowledged all the features it understands; negotiation is complete. */
    FEATURES_OK(8),
    /** Set by the device only: it hit an error it cannot recover from; the driver must reset it. */
    DEVICE_NEEDS_RESET(0x40),
    /** Something went wrong in the driver, or it gave up on the device. */
    FAILED(0x80);

    private final int value;

    DeviceStatus(int value) {
        this.value = value;
    }

    /** The bit's value in the status byte. */
    public int value() {
        return value;
    }

    /** Whether this bit is set in a raw status byte. */
    public boolean in(int status) {
        return (status & value) != 0;
    }

    /** The named bits set in a raw status byte (unknown bits are ignored). */
    public static Set<DeviceStatus> of(int status) {
        EnumSet<DeviceStatus> set = EnumSet.noneOf(DeviceStatus.class);
        for (DeviceStatus s : values()) {
            if (s.in(status)) {
                set.add(s);
            }
        }
        return set;
    }

    /** The raw status byte holding exactly these bits. */
    public static int bits(Set<DeviceStatus> set) {
        int v = 0;
        for (DeviceStatus s : set) {
            v |= s.value;
        }
        return v;
    }

    /**
     * Checks a driver's write of {@code written} over the current status {@code current} against
     * the initialization order of spec 3.1.1 and the rules of 2.1.1, and returns the new status.
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
            throw new IllegalStateException("status write 0x" + hex(written) + " clears " + of(cleared)
                    + " of 0x" + hex(current) + "; only a reset (0) clears bits");
        }
        int added = written & ~current;
        if (DEVICE_NEEDS_RESET.in(added)) {
            throw new IllegalStateException("DEVICE_NEEDS_RESET is set by the device only");
        }
        int steps = added & ~FAILED.value;
        if (steps == 0) {
            return written;
        }
        if (FAILED.in(current) || DEVICE_NEEDS_RESET.in(current)) {
            throw new IllegalStateException("status 0x" + hex(current) + " has "
                    + (FAILED.in(current) ? "FAILED" : "DEVICE_NEEDS_RESET") + ": reset before setting " + of(steps));
        }
        if ((steps & ~(ACKNOWLEDGE.value | DRIVER.value | FEATURES_OK.value | DRIVER_OK.value)) != 0) {
            throw new IllegalStateException("status write 0x" + hex(written) + " sets reserved bits 0x"
                    + hex(steps & ~(ACKNOWLEDGE.value | DRIVER.value | FEATURES_OK.value | DRIVER_OK.value)));
        }
        int s = current;
        // Walk the steps in spec order; each needs the one before it already set.
        DeviceStatus[] order = {ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK};
        for (int i = 0; i < order.length; i++) {
            DeviceStatus step = order[i];
            if (!step.in(steps)) {
                continue;
            }
            if (i > 0 && !order[i - 1].in(s)) {
                throw new IllegalStateException(step + " needs " + order[i - 1] + " first (status 0x" + hex(current) + ")");
            }
            s |= step.value;
        }
        return written;
    }

    /** {@link #transition(int, int)} for adding one bit to the current status. */
    public static int advance(int current, DeviceStatus step) {
        return transition(current, current | step.value);
    }

    /** The status byte as names, e.g. {@code ACKNOWLEDGE|DRIVER}, or {@code 0}. */
    public static String describe(int status) {
        if ((status & 0xff) == 0) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        for (DeviceStatus s : of(status)) {
            b.append(b.isEmpty() ? "" : "|").append(s.name());
        }
        int unknown = status & 0xff & ~bits(EnumSet.allOf(DeviceStatus.class));
        if (unknown != 0) {
            b.append(b.isEmpty() ? "" : "|").append("0x").append(hex(unknown));
        }
        return b.toString();
    }

    private static String hex(int v) {
        return Integer.toHexString(v);
    }
}
