/**
 * The PCI bus: PCI functions as devices of a driver.core bus, and the contract a PCI driver
 * programs them through, as the kernel's drivers/pci draws it.
 *
 * <p>A {@link pci.bus.PciDevice} is a function seen through what its hardware offers and nothing
 * more: configuration space (with its capability list, {@link pci.bus.PciCapabilities}), BARs
 * ({@link pci.bus.PciBar}, each a {@link pci.bus.PciRegion} of memory-mapped registers), MSI-X
 * ({@link pci.bus.PciMsix}, vectors delivered to handlers) and the DMA window
 * ({@link pci.bus.PciDma}). Providers, each its own bundle, decide what is behind it: registers
 * emulated in the JVM, or a real function through Linux VFIO. A driver written against this
 * package runs on both.
 *
 * <p><b>Checked once.</b> {@link pci.bus.PciRegion} checks the width and range of every access
 * for every provider, so no driver mistake or hostile offset reaches outside a BAR; the capability
 * walk survives loops and wild pointers and says where it stopped. The numbers of the PCI
 * specification live in {@link pci.bus.PciRegs}, under the names of the kernel's pci_regs.h.
 *
 * <p><b>Matching.</b> The bus reads each function's ids from its configuration space and publishes
 * them as Integer service properties ({@link pci.bus.PciConstants}), which drivers match with an
 * LDAP filter, the OSGi form of a pci_device_id table.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package pci.bus;
