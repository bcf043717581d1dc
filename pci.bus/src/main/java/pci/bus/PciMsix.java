package pci.bus;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A function's MSI-X (PCI 3.0 section 6.8.2): a table of vectors in one of its BARs, each a
 * message the function sends, with a per-vector mask and a pending bit while masked. The driver
 * programs it through this interface, which does what the kernel's pci_alloc_irq_vectors and
 * request_irq do together: the provider writes each table entry with a message that reaches the
 * handler given for it (an emulated function's platform turns the message into the call; VFIO
 * routes it to an eventfd), unmasks it and sets MSI-X Enable. A message the function sends for a
 * masked vector stays pending and is delivered on unmask, as the specification requires.
 *
 * <p>A function without the capability has no {@code PciMsix}.
 */
@ProviderType
public interface PciMsix {

    /** Vectors in the table (the capability's Table Size + 1), 1..2048. */
    int tableSize();

    /**
     * Enables MSI-X with vectors {@code 0..handlers.size()-1}, each delivered to its handler.
     *
     * @throws IllegalArgumentException no handler, or more than {@link #tableSize()}
     * @throws IllegalStateException MSI-X is enabled already, or the provider could not route a vector
     */
    void enable(List<PciInterruptHandler> handlers);

    /** Turns MSI-X off and forgets the handlers; after this returns no handler runs. Idempotent. */
    void disable();

    /** How many vectors {@link #enable} set up; 0 while disabled. */
    int enabledVectors();

    /**
     * Masks or unmasks one enabled vector (the table entry's Mask bit). A vector unmasked with its
     * pending bit set is delivered at once.
     *
     * @throws IllegalArgumentException a vector that is not enabled
     */
    void mask(int vector, boolean masked);
}
