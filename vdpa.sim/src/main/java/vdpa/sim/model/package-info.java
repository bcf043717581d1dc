/**
 * The simulator's net device as a device model for other transports. vdpa.sim's devices are
 * driven through the vDPA config ops; those ops are also what a virtio transport's registers mean
 * (the kernel's vp_vdpa maps one to the other), so an emulated virtio-pci function is a register
 * file in front of a {@link vdpa.sim.model.NetModel}, and the datapath, control queue, links and
 * counters exist once, in vdpa.sim. {@link vdpa.sim.model.NetModels} creates models on the
 * simulator's links.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package vdpa.sim.model;
