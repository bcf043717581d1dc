package pci.bus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A PCI function on the PCI bus (the kernel's struct pci_dev): its configuration space, its BARs,
 * its MSI-X vectors and the DMA window it may reach. Providers implement it (an emulated function
 * in the JVM, a real one through VFIO); drivers use only this, so one driver runs on both.
 *
 * <p>The bus reads the function's ids from its configuration space and publishes them as service
 * properties ({@link PciConstants}). Config and BAR accesses are checked by {@link PciRegion}
 * (width, range) before a provider sees them. A function is hostile until checked: what it
 * answers (a capability pointer, a BAR offset in a capability) must be validated by the driver
 * before it is used; {@link PciCapabilities} does so for the capability list.
 */
@ProviderType
public interface PciDevice {

    /** Where the function sits; its name on the bus is this address as text. */
    PciAddress address();

    /** Who provides the function, e.g. {@code emulated} or {@code vfio}. */
    String provider();

    /** The configuration space: 256 or 4096 bytes, accesses of 1, 2 or 4 bytes. */
    PciRegion config();

    /** The implemented BARs, lowest index first; a 64-bit BAR is listed once, under its lower index. */
    List<PciBar> bars();

    /** The BAR of this index, if it is implemented (a 64-bit BAR answers only at its lower index). */
    default Optional<PciBar> bar(int index) {
        return bars().stream().filter(b -> b.index() == index).findFirst();
    }

    /** The function's MSI-X, if it has the capability and the provider can deliver it. */
    Optional<PciMsix> msix();

    /** The memory the function may reach by DMA. */
    PciDma dma();

    /**
     * Optional: the provider's counters for this function, by name (what lspci -v shows under
     * Counters), e.g. the register accesses an emulated function refused. Default: none.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
