/**
 * What the virtio-net device and driver sides agree on, kept apart from both so that replacing the
 * driver bundle never disturbs a device: the wire format of virtio 1.2 section 5.1
 * ({@link virtio.net.api.VirtioNetWire}) and the {@link virtio.net.api.NetDevice} API that the class
 * driver publishes for Java programs (the kernel's net_device).
 *
 * <p>{@code NetDevice} is a provider type: drivers implement it, programs use it. Programs implement
 * only {@link virtio.net.api.FrameHandler}. Everything else is a value: {@link virtio.net.api.MacAddress},
 * {@link virtio.net.api.QueueStats} with its {@link virtio.net.api.DropReason}s, and the result and
 * error enums. Frames cross as {@link java.lang.foreign.MemorySegment}s so a receive path can hand
 * out the device's DMA memory without copying.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package virtio.net.api;
