package virtio.bus;

/** Service property names of virtio devices, drivers and the virtio bus. */
public final class VirtioConstants {
    private VirtioConstants() {}

    /** Bus name of the virtio bus ({@value}), the value of {@code bus.name}. */
    public static final String BUS = "virtio";

    /**
     * Device property set by the bus from {@link VirtioDevice#deviceId()}: the virtio device id
     * (spec 5: 1 network, 2 block, ...), an {@code Integer}. Drivers match on it.
     */
    public static final String DEVICE_ID = "virtio.device.id";

    /** Device property set by the bus from {@link VirtioDevice#vendorId()}, an {@code Integer}. */
    public static final String VENDOR_ID = "virtio.vendor.id";
}
