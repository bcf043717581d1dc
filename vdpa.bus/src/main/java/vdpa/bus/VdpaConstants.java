package vdpa.bus;

/** Service property names of vDPA devices and management devices, and the vDPA bus's name. */
public final class VdpaConstants {
    private VdpaConstants() {}

    /** Bus name of the vDPA bus ({@value}), the value of {@code bus.name}. */
    public static final String BUS = "vdpa";

    /** Device property set by the bus: the device's name (same as {@code device.name}), e.g. {@code vdpa0}. */
    public static final String NAME = "vdpa.name";

    /**
     * Device property: the name of the management device that created the device; absent for a
     * device registered directly. Also the property of every {@link VdpaMgmtDevice} service.
     */
    public static final String MGMTDEV = "vdpa.mgmtdev";

    /** Device property set by the bus: the virtio device id ({@link VdpaDevice#getDeviceId()}), an Integer. */
    public static final String VIRTIO_DEVICE_ID = "virtio.device.id";

    /** Device property set by the bus: the vendor id ({@link VdpaDevice#getVendorId()}), an Integer. */
    public static final String VIRTIO_VENDOR_ID = "virtio.vendor.id";

    /** Device property set by the bus: the number of virtqueues ({@link VdpaDevice#vqCount()}), an Integer. */
    public static final String MAX_VQS = "vdpa.max_vqs";

    /** Device property set by the bus: the largest virtqueue size ({@link VdpaDevice#getVqNumMax()}), an Integer. */
    public static final String MAX_VQ_SIZE = "vdpa.max_vq_size";
}
