/**
 * The userspace datapath (the kernel's drivers/vhost/vdpa.c): the vDPA driver
 * {@value vhost.uapi.VhostUapi#DRIVER_NAME} serves a bound vDPA device to a userspace driver, a
 * VM's virtio-net in QEMU or DPDK's virtio-user, over the vhost-user protocol on a UNIX socket.
 * The front-end's memory regions (memfd or hugetlbfs files) are mapped here and given to the
 * device as its DMA map (IOVA = guest-physical address); its ring addresses and kick and call
 * eventfds program the device's virtqueues through the vDPA config ops. The device runs the
 * datapath itself: nothing here touches a descriptor.
 *
 * <p>The driver matches every vDPA device but never takes one on its own: a device goes to it
 * when asked, through {@code driver_override} or {@code bus:bind}, as a device goes to the
 * kernel's vhost_vdpa. This package holds only the names that configuration uses.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package vhost.uapi;
