/**
 * The shared-memory ring core: split and packed virtqueues (virtio 1.2 sections 2.7 and 2.8),
 * both the driver side and the device side, with the device side safe against a hostile driver.
 *
 * <p>All ring and buffer memory is {@link java.lang.foreign.MemorySegment}, little-endian, so a
 * ring can live in memory another process shares (a memfd or file mapping). Descriptor addresses
 * are bus addresses: the device side resolves every one of them, the ring parts included, through
 * an {@link virtio.ring.AddressSpace} (the IOTLB), so nothing outside a mapping is ever touched.
 * The driver side allocates its rings and buffers from a {@link virtio.ring.DmaPool} that the
 * device maps.
 *
 * <p>Entry points: {@link virtio.ring.DriverQueue#create} and {@link virtio.ring.DeviceQueue#open}
 * pick the split or packed layout from {@link virtio.spec.VirtioFeatures#VIRTIO_F_RING_PACKED}.
 * The layouts, flags and feature bits are the {@code virtio.spec} bundle's, defined there alone.
 * A queue is used by one thread per side; the two sides may run on different threads or in
 * different processes, ordered only by the acquire/release accesses the spec requires.
 *
 * <p>Whatever the other side writes is checked before use and read exactly once. A violation
 * never throws into the caller: the queue becomes broken with a {@link virtio.ring.RingError}
 * reason, which is counted in a {@link virtio.ring.RingErrorCounter} and logged once; the device
 * turns a broken queue into DEVICE_NEEDS_RESET. Hot paths allocate nothing: the device side fills
 * a reused {@link virtio.ring.DescriptorChain}, the driver side reads a reused
 * {@link virtio.ring.BufferChain}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package virtio.ring;
