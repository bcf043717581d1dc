/**
 * The PCI hardware driver: a PCI driver that binds modern virtio-pci functions, checks and maps
 * their virtio structures, and turns each into a vDPA management device ({@code pci/<slot>}) whose
 * device implements the vDPA config ops by register access only, as the kernel's vp_vdpa does.
 * This package holds the names other bundles and configuration files use; the implementation is
 * private.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package vdpa.hw.pci;
