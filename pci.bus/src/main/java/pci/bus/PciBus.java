package pci.bus;

import driver.core.Bus;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The PCI bus (the kernel's pci_bus_type), a service with {@code bus.name=pci}. Providers register
 * {@link PciDevice}s here with {@code device.name} = the function's address; {@link PciDriver}
 * services bind to them by their ids.
 *
 * <p>Registering checks that the function is consistent (a known configuration space size, a
 * present type 0 function, the address it is registered under) and publishes the properties of
 * {@link PciConstants}, read from the function's configuration space. Unregistering a function is a
 * hot unplug: its driver's remove runs first, and everything the driver built above goes with it.
 */
@ProviderType
public interface PciBus extends Bus<PciDevice> {}
