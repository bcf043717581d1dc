/**
 * Real PCI functions through Linux VFIO: every function bound to the kernel's {@code vfio-pci}
 * driver is opened through its IOMMU group and registered on the PCI bus, with its configuration
 * space and BARs as VFIO regions (BARs mapped where VFIO allows it), MSI-X through
 * VFIO_DEVICE_SET_IRQS with one eventfd per vector, and its DMA window the VFIO type 1 IOMMU.
 * Where {@value pci.vfio.PciVfio#CONTAINER} is absent the provider does nothing and says so in
 * {@code pci:lspci}. This package holds the names; the implementation is private.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package pci.vfio;
