package virtio.vdpa;

/** Names the virtio_vdpa bridge publishes: its driver name on the vDPA bus and its device names on the virtio bus. */
public final class VirtioVdpaConstants {
    private VirtioVdpaConstants() {}

    /**
     * The bridge's {@code driver.name} on the vDPA bus ({@value}), the kernel's driver name; a
     * vDPA device's {@code driver_override} set to it pins the device to the bridge.
     */
    public static final String DRIVER_NAME = "virtio_vdpa";

    /**
     * Prefix of the virtio devices' {@code device.name}: {@code virtio0}, {@code virtio1}, ... The
     * lowest free index is taken, like the kernel's virtio index allocator.
     */
    public static final String DEVICE_NAME_PREFIX = "virtio";

    /**
     * Property of every virtio device the bridge registers: the name of the vDPA device beneath it
     * ({@value}, the same key the vDPA bus uses), so a class driver or a listing can name the parent.
     */
    public static final String PARENT = "vdpa.name";
}
