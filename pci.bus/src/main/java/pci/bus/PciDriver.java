package pci.bus;

import driver.core.Driver;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A PCI driver (the kernel's struct pci_driver), published as a service of this type with
 * {@code driver.name} and {@code driver.match}, an LDAP filter over the properties of
 * {@link PciConstants} (the id table): e.g.
 * {@code (&(pci.vendor=6900)(pci.device>=4160)(pci.device<=4223))} for modern virtio functions.
 * Ids are Integers, so the filter's numbers are decimal.
 *
 * <p>Remove must leave the function quiet: no DMA, MSI-X disabled, bus mastering off.
 */
@ConsumerType
public interface PciDriver extends Driver<PciDevice> {}
