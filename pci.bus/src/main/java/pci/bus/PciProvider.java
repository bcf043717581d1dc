package pci.bus;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A source of PCI functions (an emulator, VFIO), published as a service so {@code pci:lspci} can
 * say what each provider found, or why it found nothing.
 */
@ProviderType
public interface PciProvider {

    /** The provider's name, as {@link PciDevice#provider()} gives it. */
    String name();

    /** One line on its state, e.g. {@code 2 functions} or {@code /dev/vfio is absent: this kernel has no VFIO}. */
    String status();
}
