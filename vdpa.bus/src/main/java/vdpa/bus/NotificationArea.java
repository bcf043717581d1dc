package vdpa.bus;

/**
 * A virtqueue's doorbell as a region a driver may map and write directly, bypassing
 * {@link VdpaDevice#kickVq} (the kernel's {@code struct vdpa_notification_area}).
 *
 * @param address base address of the area (a host physical or mappable address)
 * @param size size of the area in bytes
 */
public record NotificationArea(long address, long size) {
    public NotificationArea {
        if (size <= 0) {
            throw new IllegalArgumentException("notification area size " + size + " must be positive");
        }
    }
}
