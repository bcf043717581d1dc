/**
 * Emulated PCI functions: modern virtio-pci net functions whose registers live in the JVM, the
 * embedded default hardware of the PCI bus. Each function is a register file (configuration
 * space, BARs, MSI-X table) in front of the simulator's net device model, so its datapath is
 * vdpa.sim's and a cable joins it to a simulated vDPA NIC. This package holds the names other
 * bundles and configuration files use; the transport's register layout is virtio.spec's
 * {@code VirtioPci}, shared with the driver side. The implementation is private.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package pci.emul;
