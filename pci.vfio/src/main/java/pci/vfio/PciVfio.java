package pci.vfio;

/** Names under which functions passed through VFIO appear. */
public final class PciVfio {
    private PciVfio() {}

    /** The provider's name ({@code pci.provider} of its functions). */
    public static final String PROVIDER = "vfio";

    /** The VFIO container device; where it is absent, the kernel has no VFIO and the provider finds nothing. */
    public static final String CONTAINER = "/dev/vfio/vfio";

    /** The driver a function must be bound to (through driver_override) to be found. */
    public static final String KERNEL_DRIVER = "vfio-pci";
}
