package virtio.net.api;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A network interface for Java programs: the kernel's {@code struct net_device} as an OSGi
 * service, published by a class driver (virtio-net) for each device it drives. The service carries
 * the properties of {@link NetDeviceConstants}; they change (service MODIFIED) when the link goes up
 * or down or the MAC address is set.
 *
 * <h2>Queues</h2>
 * A device has {@link #queuePairs()} RX/TX queue pairs, numbered from 0. Frames sent on one TX
 * queue leave in order; frames of one RX queue arrive in order. {@link #send(MemorySegment)} picks
 * the queue by a hash over the frame's L2-L4 headers ({@link #queueFor}), so the frames of one flow
 * stay on one queue and in order.
 *
 * <h2>Sending</h2>
 * {@link #send(int, MemorySegment)} copies the frame into a preallocated TX buffer and returns
 * at once. A full TX ring is back-pressure, never a silent drop: the result is
 * {@link SendResult#BUSY} and the caller still owns the frame. Safe from any number of threads.
 *
 * <h2>Receiving</h2>
 * With a {@link #setReceiveHandler handler} set, every frame is handed to it on the driver's
 * receive thread of its queue. Without one, frames wait in a bounded per-queue backlog for
 * {@link #poll}; a full backlog drops the newest frame and counts it
 * ({@link DropReason#RX_BACKLOG_FULL}). Either way a frame is delivered or counted as dropped. A
 * {@link #setTap tap} sees each frame first, without taking it.
 *
 * <h2>Control</h2>
 * Receive filtering and the MAC address go through the device's control queue: each call waits a
 * bounded time for the device's answer and throws {@link NetDeviceException} if the feature is
 * missing, the device refuses, or it does not answer.
 *
 * <h2>Lifetime</h2>
 * When the driver lets go of the device, the service is unregistered first; afterwards
 * {@code send} returns {@link SendResult#DOWN}, {@code poll} returns 0, control calls throw with
 * {@link NetDeviceException.Reason#DOWN}, and no handler is called again.
 */
@ProviderType
public interface NetDevice {

    // ---------------------------------------------------------------- identity and state

    /** The interface name: {@code eth0}, {@code eth1}, ... or the configured one. */
    String name();

    /** The current MAC address. */
    MacAddress mac();

    /** The MTU: the largest payload after the Ethernet header, in bytes. */
    int mtu();

    /** The largest frame {@link #send} takes: {@link #mtu()} plus the 14-byte Ethernet header. */
    default int maxFrameLength() {
        return mtu() + Ethernet.ETH_HLEN;
    }

    /** Whether the link is up. */
    LinkState link();

    /** The number of queue pairs in use. */
    int queuePairs();

    /** The name of the device underneath on its bus (e.g. the virtio device's {@code device.name}). */
    String parentDevice();

    // ---------------------------------------------------------------- transmit

    /**
     * Sends one Ethernet frame (destination MAC first, no FCS) on TX queue {@code queue}. The bytes
     * are copied before this returns; the caller may reuse {@code frame} at once.
     *
     * @return {@link SendResult#SENT} if the device has it; otherwise nothing was sent and the
     *     result says why ({@link SendResult#BUSY} is back-pressure: retry later)
     * @throws IndexOutOfBoundsException if {@code queue} is not below {@link #queuePairs()}
     */
    SendResult send(int queue, MemorySegment frame);

    /**
     * Sends {@code frames[from]}, {@code frames[from + 1]}, ... in order on TX queue {@code queue},
     * up to {@code count} of them, and stops at the first one that is not {@link SendResult#SENT}
     * (send that one alone to learn why). The device is told once for the whole burst, as DPDK's
     * {@code rte_eth_tx_burst} and the kernel's {@code xmit_more} do: the cost of a kick decision is
     * shared by the burst instead of paid per frame. Allocates nothing.
     *
     * @return how many frames, from {@code from} on, the device has
     * @throws IndexOutOfBoundsException if {@code queue} is not below {@link #queuePairs()} or the
     *     range is outside the array
     */
    default int send(int queue, MemorySegment[] frames, int from, int count) {
        java.util.Objects.checkFromIndexSize(from, count, frames.length);
        for (int i = 0; i < count; i++) {
            if (send(queue, frames[from + i]) != SendResult.SENT) {
                return i;
            }
        }
        return count;
    }

    /** Sends on the queue {@link #queueFor} picks for the frame. */
    default SendResult send(MemorySegment frame) {
        return send(queueFor(frame), frame);
    }

    /**
     * The queue a frame's flow maps to: a hash over the Ethernet type, IPv4/IPv6 addresses and
     * protocol and, for TCP and UDP, the ports, modulo {@link #queuePairs()}. Frames that are not
     * IP hash over the MAC addresses.
     */
    int queueFor(MemorySegment frame);

    // ---------------------------------------------------------------- receive

    /**
     * Sets the handler of every received frame, or {@code null} to queue frames for {@link #poll}
     * instead. Takes effect for frames processed after the call.
     */
    void setReceiveHandler(FrameHandler handler);

    /**
     * Hands up to {@code budget} frames waiting in queue {@code queue}'s backlog to
     * {@code handler} on the calling thread (only frames that arrived while no receive handler was
     * set wait there). Safe from several threads; frames of one queue keep their order.
     *
     * @return the number of frames handed over, 0 if none were waiting
     * @throws IndexOutOfBoundsException if {@code queue} is not below {@link #queuePairs()}
     */
    int poll(int queue, FrameHandler handler, int budget);

    /**
     * Sets the tap, or {@code null} to remove it: a handler that sees every received frame just
     * before the receive handler or the backlog does (the kernel's packet taps, which tcpdump
     * reads), on the same thread, without taking it. A tap must not block; what it throws is
     * ignored and the frame is delivered all the same. One tap at a time: setting one replaces
     * the last. Takes effect for frames processed after the call.
     *
     * @since 1.1
     */
    void setTap(FrameHandler tap);

    // ---------------------------------------------------------------- receive filtering (control queue)

    /**
     * Receive every frame whatever its destination (VIRTIO_NET_CTRL_RX_PROMISC).
     *
     * @throws NetDeviceException UNSUPPORTED without VIRTIO_NET_F_CTRL_RX, or the device refused or timed out
     */
    void setPromiscuous(boolean on) throws NetDeviceException;

    /**
     * Receive every multicast frame (VIRTIO_NET_CTRL_RX_ALLMULTI).
     *
     * @throws NetDeviceException UNSUPPORTED without VIRTIO_NET_F_CTRL_RX, or the device refused or timed out
     */
    void setAllMulticast(boolean on) throws NetDeviceException;

    /**
     * Sets the multicast addresses to receive (VIRTIO_NET_CTRL_MAC_TABLE_SET, with an empty
     * unicast table).
     *
     * @throws NetDeviceException UNSUPPORTED without VIRTIO_NET_F_CTRL_RX, INVALID if an address is
     *     not multicast, or the device refused or timed out
     */
    void setMulticastList(List<MacAddress> addresses) throws NetDeviceException;

    /**
     * Changes the MAC address (VIRTIO_NET_CTRL_MAC_ADDR_SET). On success {@link #mac()} and the
     * {@value NetDeviceConstants#NET_MAC} property change.
     *
     * @throws NetDeviceException UNSUPPORTED without VIRTIO_NET_F_CTRL_MAC_ADDR, INVALID for a
     *     multicast address, or the device refused or timed out
     */
    void setMacAddress(MacAddress mac) throws NetDeviceException;

    /** Whether promiscuous mode is on, as last acknowledged by the device. */
    boolean promiscuous();

    /** Whether all-multicast mode is on, as last acknowledged by the device. */
    boolean allMulticast();

    // ---------------------------------------------------------------- counters

    /** Counters of every queue pair, queue 0 first. */
    List<QueueStats> stats();
}
