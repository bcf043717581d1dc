package pci.emul;

/** Names under which emulated PCI functions are created and configured. */
public final class PciEmul {
    private PciEmul() {}

    /** The provider's name ({@code pci.provider} of its functions). */
    public static final String PROVIDER = "emulated";

    /**
     * Factory PID of net function configurations; File Install reads {@code pci.emul.net-<alias>.cfg}.
     * Properties: {@value #PROP_SLOT} (default: the alias, when it is an address), {@value #PROP_MAC},
     * {@value #PROP_MTU}, {@value #PROP_MAX_VQP}, {@value #PROP_LINK}.
     */
    public static final String FACTORY_PID = "pci.emul.net";

    /** Configuration property: the function's address, {@code 0000:00:04.0}. */
    public static final String PROP_SLOT = "slot";
    /** Configuration property: the MAC address; default derived from the slot. */
    public static final String PROP_MAC = "mac";
    /** Configuration property: the MTU; default 1500. */
    public static final String PROP_MTU = "mtu";
    /** Configuration property: the number of queue pairs; default 1. */
    public static final String PROP_MAX_VQP = "max_vqp";
    /** Configuration property: the simulator's link, {@code loopback} (default) or {@code cable:<name>}. */
    public static final String PROP_LINK = "link";
}
