package pci.bus;

/** Service property names of PCI functions and the PCI bus's name. */
public final class PciConstants {
    private PciConstants() {}

    /** Bus name of the PCI bus ({@value}), the value of {@code bus.name}. */
    public static final String BUS = "pci";

    /** Device property set by the bus: the function's address, {@code 0000:00:04.0} (also its {@code device.name}). */
    public static final String SLOT = "pci.slot";
    /** Device property set by the bus: the Vendor ID, an Integer (e.g. 6900 for 0x1af4). */
    public static final String VENDOR = "pci.vendor";
    /** Device property set by the bus: the Device ID, an Integer. */
    public static final String DEVICE = "pci.device";
    /** Device property set by the bus: the Subsystem Vendor ID, an Integer. */
    public static final String SUBSYSTEM_VENDOR = "pci.subsystem.vendor";
    /** Device property set by the bus: the Subsystem ID, an Integer. */
    public static final String SUBSYSTEM_DEVICE = "pci.subsystem.device";
    /** Device property set by the bus: the 24-bit class code (base, sub-class, interface), an Integer, e.g. 0x020000. */
    public static final String CLASS = "pci.class";
    /** Device property set by the bus: the Revision ID, an Integer. */
    public static final String REVISION = "pci.revision";
    /** Device property set by the bus: the provider ({@link PciDevice#provider()}), a String. */
    public static final String PROVIDER = "pci.provider";
}
