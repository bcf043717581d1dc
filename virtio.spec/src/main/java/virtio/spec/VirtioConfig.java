package virtio.spec;

/**
 * The bits of the {@code device status} field (virtio 1.2 section 2.1), under the kernel's uapi
 * virtio_config.h names, listed in the order a driver sets them (section 3.1.1). Status is one
 * byte; writing 0 resets the device. {@link DeviceStatus} is the same bits as an enum.
 */
public final class VirtioConfig {
    private VirtioConfig() {}

    /** ACKNOWLEDGE, bit 0 (1): the guest OS has found the device and recognised it as a virtio device. */
    public static final int VIRTIO_CONFIG_S_ACKNOWLEDGE = 1;
    /** DRIVER, bit 1 (2): the guest OS knows how to drive the device. */
    public static final int VIRTIO_CONFIG_S_DRIVER = 2;
    /** FEATURES_OK, bit 3 (8): the driver acknowledged the features it understands; negotiation is complete. */
    public static final int VIRTIO_CONFIG_S_FEATURES_OK = 8;
    /** DRIVER_OK, bit 2 (4): the driver is set up and ready to drive the device. */
    public static final int VIRTIO_CONFIG_S_DRIVER_OK = 4;
    /** DEVICE_NEEDS_RESET, bit 6 (0x40): set by the device only, after an error it cannot recover from (2.1.2). */
    public static final int VIRTIO_CONFIG_S_NEEDS_RESET = 0x40;
    /** FAILED, bit 7 (0x80): something went wrong in the driver, or it gave up on the device. */
    public static final int VIRTIO_CONFIG_S_FAILED = 0x80;
}
