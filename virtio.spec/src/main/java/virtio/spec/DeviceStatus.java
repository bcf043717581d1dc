package virtio.spec;

import java.util.EnumSet;
import java.util.Set;

/**
 * The device status bits (virtio 1.2 section 2.1) as one enum carrying the spec's values, the
 * numbers of {@link VirtioConfig}. Status travels as a raw byte between driver, transport and
 * device; this enum names its bits.
 *
 * <p>Which writes are legal is a rule of each side, not of the bits: the driver side (virtio.bus)
 * refuses a write that breaks the initialization order of section 3.1.1, the device side (a vDPA
 * device) takes any write and keeps only what it accepts. Both speak these bits.
 */
public enum DeviceStatus {
    /** 1: the guest OS has found the device and recognised it as a valid virtio device. */
    ACKNOWLEDGE(VirtioConfig.VIRTIO_CONFIG_S_ACKNOWLEDGE),
    /** 2: the guest OS knows how to drive the device. */
    DRIVER(VirtioConfig.VIRTIO_CONFIG_S_DRIVER),
    /** 4: the driver is set up and ready to drive the device. */
    DRIVER_OK(VirtioConfig.VIRTIO_CONFIG_S_DRIVER_OK),
    /** 8: the driver has acknowledged all the features it understands; negotiation is complete. */
    FEATURES_OK(VirtioConfig.VIRTIO_CONFIG_S_FEATURES_OK),
    /** 0x40: set by the device only: it hit an error it cannot recover from; the driver must reset it. */
    DEVICE_NEEDS_RESET(VirtioConfig.VIRTIO_CONFIG_S_NEEDS_RESET),
    /** 0x80: something went wrong in the driver, or it gave up on the device. */
    FAILED(VirtioConfig.VIRTIO_CONFIG_S_FAILED);

    /** The order in which a driver sets the bits during initialization (section 3.1.1). */
    private static final DeviceStatus[] INIT_ORDER = {ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK};

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

    /**
     * The step a driver takes before this one during initialization (section 3.1.1: ACKNOWLEDGE,
     * DRIVER, FEATURES_OK, DRIVER_OK), or null for ACKNOWLEDGE and for the bits outside that
     * sequence (DEVICE_NEEDS_RESET, FAILED).
     */
    public DeviceStatus previousStep() {
        for (int i = 1; i < INIT_ORDER.length; i++) {
            if (INIT_ORDER[i] == this) {
                return INIT_ORDER[i - 1];
            }
        }
        return null;
    }

    /** The initialization steps in the order a driver sets them (section 3.1.1). */
    public static DeviceStatus[] initializationOrder() {
        return INIT_ORDER.clone();
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

    /** The raw status byte with every named bit: what is not in it is reserved. */
    public static int known() {
        return bits(EnumSet.allOf(DeviceStatus.class));
    }

    /** The status byte as names, e.g. {@code ACKNOWLEDGE|DRIVER}, unknown bits in hex, or {@code 0}. */
    public static String describe(int status) {
        if ((status & 0xff) == 0) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        for (DeviceStatus s : of(status)) {
            b.append(b.isEmpty() ? "" : "|").append(s.name());
        }
        int unknown = status & 0xff & ~known();
        if (unknown != 0) {
            b.append(b.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unknown));
        }
        return b.toString();
    }
}
