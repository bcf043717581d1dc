/**
 * The virtio_vdpa bridge (the kernel's drivers/virtio/virtio_vdpa.c): a vDPA driver that, for every
 * vDPA device it binds, puts a virtio device on the virtio bus, so in-JVM class drivers
 * (virtio-net) drive vDPA hardware through the same virtio transport contract as any other.
 *
 * <p>Only names are exported here ({@link virtio.vdpa.VirtioVdpaConstants}): the driver is a
 * Declarative Services component in {@code virtio.vdpa.internal} and nobody calls it directly; the
 * vDPA bus binds it by its match rule and the virtio bus sees only {@code VirtioDevice}s.
 *
 * <p><b>Memory.</b> The kernel's virtio_vdpa lets the ring code allocate through the vDPA
 * device's DMA device. Here each bound device gets one {@link virtio.ring.DmaPool}, mapped into the
 * device's address space 0 with dma_map (or set_map with a one-entry IOTLB), and handed to the class
 * driver through {@code VirtioDevice.dmaPool()}; rings and buffers are carved from it. On remove the
 * virtio device goes first (its class driver lets go), then the vDPA device is reset, then the pool
 * is unmapped and freed: nothing touches ring memory after the reset.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package virtio.vdpa;
