/**
 * The virtio-net class driver. {@link virtio.net.internal.VirtioNetDriver} (DS face
 * {@link virtio.net.internal.VirtioNetComponent}) negotiates through the virtio bus's
 * AbstractVirtioDriver, then {@link virtio.net.internal.NetSetup} builds one
 * {@link virtio.net.internal.QueuePair} per RX/TX pair (an {@link virtio.net.internal.RxQueue}, a
 * {@link virtio.net.internal.TxQueue}, counters, a poll backlog and a NAPI-style worker) and a
 * {@link virtio.net.internal.ControlQueue}; {@link virtio.net.internal.VirtioNet} is the NetDevice
 * they make up. Rings and buffers come from the device's DMA pool once, at probe; nothing on the
 * data path allocates ring memory.
 */
package virtio.net.internal;
