/**
 * The numbers of the virtio specification (1.2, and 1.3 where noted) that busbar uses, each
 * defined once under the spec's own name with its bit or byte layout and its section, organised by
 * layout as the kernel's uapi headers and rust-vmm's virtio-bindings are: device ids
 * ({@link virtio.spec.VirtioIds}), status bits ({@link virtio.spec.VirtioConfig},
 * {@link virtio.spec.DeviceStatus}), device-independent feature bits
 * ({@link virtio.spec.VirtioFeatures}), the split and packed rings ({@link virtio.spec.Virtq},
 * {@link virtio.spec.VirtqSplit}, {@link virtio.spec.VirtqPacked},
 * {@link virtio.spec.NotificationData}), and the network device ({@link virtio.spec.VirtioNet},
 * {@link virtio.spec.VirtioNetHdr}, {@link virtio.spec.VirtioNetCtrl}), and the virtio-pci transport's
 * capabilities and common configuration ({@link virtio.spec.VirtioPci}).
 *
 * <p>Rules the spec derives from those numbers live beside them, once: where controlq sits and
 * how many queue pairs a net device lays out ({@link virtio.spec.VirtioNet#controlQueue}), which
 * alignment each ring area needs ({@link virtio.spec.Virtq#misalignment}). Which status writes are
 * legal is not here: the driver side and the device side apply their own rules over the same
 * {@link virtio.spec.DeviceStatus} bits.
 *
 * <p>This package depends on nothing, so every bundle may import it: the ring core, both buses,
 * devices and drivers. A second definition of one of its constants anywhere in the reactor fails
 * this bundle's tests. Other device types belong here too, one class per layout.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package virtio.spec;
