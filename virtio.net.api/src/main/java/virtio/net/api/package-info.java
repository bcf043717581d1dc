/**
 * The {@link virtio.net.api.NetDevice} API that the virtio-net class driver publishes for Java
 * programs (the kernel's net_device), kept apart from the driver so that replacing the driver
 * bundle never disturbs its users. The virtio-net wire format (virtio 1.2 section 5.1) both sides
 * speak is the {@code virtio.spec} bundle's; the Ethernet sizes frames are checked against are
 * {@link virtio.net.api.Ethernet}.
 *
 * <p>{@code NetDevice} is a provider type: drivers implement it, programs use it. Programs implement
 * only {@link virtio.net.api.FrameHandler}. Everything else is a value: {@link virtio.net.api.MacAddress},
 * {@link virtio.net.api.QueueStats} with its {@link virtio.net.api.DropReason}s, and the result and
 * error enums. Frames cross as {@link java.lang.foreign.MemorySegment}s so a receive path can hand
 * out the device's DMA memory without copying.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package virtio.net.api;
