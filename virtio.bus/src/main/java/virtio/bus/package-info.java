/**
 * The virtio bus: the contract between a virtio transport and the class drivers that use it, as the
 * kernel's drivers/virtio/virtio.c draws it.
 *
 * <p>A {@link virtio.bus.VirtioDevice} is the transport side of one device (what
 * {@code struct virtio_config_ops} gives the kernel): status, features, config space, and
 * virtqueue setup described by {@link virtio.bus.VirtqueueConfig} records. The ring itself lives in
 * the {@code virtio.ring} bundle; this package only names what a transport needs to know about a
 * queue (its size, the bus addresses of its three areas, its callback), so a bridge such as
 * {@code virtio.vdpa} can hook any ring into any transport without this bundle depending on either.
 *
 * <p><b>Negotiation lives in the bus, not in drivers.</b> {@link virtio.bus.VirtioDriver} is a
 * sealed interface whose only implementation is {@link virtio.bus.AbstractVirtioDriver}; that class
 * makes {@code probe} and {@code remove} final and runs the bus's sequence around the driver's own
 * code: reset, then the bus's config handler, ACKNOWLEDGE, DRIVER, feature negotiation
 * ({@link virtio.bus.VirtioNegotiation}), FEATURES_OK with its re-read, then the driver's
 * {@code probeNegotiated}, then DRIVER_OK; FAILED on any error; config changes stopped, reset and
 * queue teardown on remove. A driver declares only its feature table. The
 * sealing makes it impossible to register a {@code VirtioDriver} that skips negotiation, while the
 * generic engine of {@code driver.core} still calls an ordinary {@code Driver.probe}.
 *
 * <p>The status bits and feature bits are the spec's, from {@code virtio.spec}
 * ({@link virtio.spec.DeviceStatus}, {@link virtio.spec.VirtioFeatures}); this package adds the
 * driver side's rules over them: {@link virtio.bus.DriverStatusRules} decides which status writes
 * are legal, {@link virtio.bus.VirtioNegotiation} which features are written. Devices carry the service properties of {@link virtio.bus.VirtioConstants}
 * ({@code virtio.device.id}, {@code virtio.vendor.id}), filled in by the bus from the device itself,
 * so a driver matches with a filter such as {@code (virtio.device.id=1)}.
 *
 * <p>This bundle depends on nothing virtio-specific but the spec's numbers: the vDPA bus may be
 * absent, and the vDPA bus does not import this package (status and features cross the vDPA
 * config ops as raw values).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package virtio.bus;
