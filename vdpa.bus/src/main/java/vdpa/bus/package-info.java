/**
 * The vDPA bus: the contract between vDPA devices (simulators, hardware parents) and the drivers
 * that use them ({@code virtio.vdpa} for in-JVM class drivers, {@code vhost.uapi} for userspace
 * drivers), as the kernel's include/linux/vdpa.h and drivers/vdpa/vdpa.c draw it.
 *
 * <p><b>Config ops and capabilities.</b> {@link vdpa.bus.VdpaDevice} holds the required ops of
 * {@code struct vdpa_config_ops}, grouped as virtqueue, device and DMA ops, with the optional ops
 * that have a natural default (what the kernel does when the op is absent) as default methods.
 * Optional groups without a default are capability interfaces extending {@code VdpaDevice}
 * ({@link vdpa.bus.VdpaSuspendOps}, {@link vdpa.bus.VdpaSetMapOps}, {@link vdpa.bus.VdpaDmaMapOps},
 * {@link vdpa.bus.VdpaResetMapOps}, {@link vdpa.bus.VdpaAsidOps}, {@link vdpa.bus.VdpaBindMmOps},
 * {@link vdpa.bus.VdpaNotifyDataOps}, {@link vdpa.bus.VdpaVendorStatsOps}); a user discovers one with {@code instanceof}, which also
 * gives it the typed ops, and {@link vdpa.bus.VdpaCapability} lists them. There is no separate
 * declaration that could disagree with the type, and pairs the kernel requires together
 * (dma_map with dma_unmap) are one interface, so that inconsistency cannot be expressed at all.
 *
 * <p><b>Queue state.</b> A device says through {@link vdpa.bus.VdpaDevice#vqStateSupport()}
 * whether it can save and restore queue positions or, like a virtio-pci function driven by its
 * registers only, start a queue at its initial state and nothing else; drivers that need a
 * position ask first instead of meeting the refusal.
 *
 * <p><b>What the bus refuses.</b> Registering a device runs the bus's validator, which applies the
 * kernel's __vdpa_alloc_device rules that remain expressible (use_va needs set_map or dma_map) and
 * the ones its callers rely on: device id not 0, at least one virtqueue, 1 &lt;= vq num min &lt;= max
 * &lt;= 32768, a power-of-two alignment, every queue's group below the group count, more than one
 * address space only with set_group_asid and device-side translation (vhost_vdpa's rule),
 * reset_map only with set_map or dma_map, bind_mm only with use_va, a device offering
 * VIRTIO_F_NOTIFICATION_DATA must implement kick_vq_with_data, a sane IOVA range, and a new device
 * must be reset (status 0). The refusal names the rule.
 *
 * <p><b>Dependency direction.</b> This package does not import {@code virtio.bus}: status bytes and
 * feature words cross the config ops as raw values, exactly as they cross the kernel's, so the
 * userspace datapath can run without the virtio bus installed, and {@code virtio.bus} knows nothing
 * of vDPA. The bridge {@code virtio.vdpa} depends on both. What those raw values mean (device ids,
 * status and feature bits, the net config layout) comes from {@code virtio.spec}, as the kernel's
 * vdpa.c includes the uapi virtio headers.
 *
 * <p><b>Management devices</b> ({@link vdpa.bus.VdpaMgmtDevice}) create and delete devices with
 * {@link vdpa.bus.VdpaDevAttrs}; {@link vdpa.bus.VdpaDevAttrs#refusalFor} holds the kernel's
 * attribute checks so every caller applies the same ones. A device asked for by configuration has
 * no caller to hand a refusal to: the management device keeps it as a {@link vdpa.bus.VdpaRefusal}
 * until the configuration changes, and {@code vdpa dev show} lists it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package vdpa.bus;
