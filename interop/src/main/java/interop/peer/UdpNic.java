package interop.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's end of QEMU's {@code -netdev socket,udp=...,localaddr=...}: each frame the guest's NIC
 * sends arrives as one UDP datagram on 127.0.0.1, and each datagram sent back is one frame the NIC
 * receives. Frames are counted by EtherType; datagrams from anywhere but QEMU's address are
 * counted apart and otherwise ignored.
 */
public final class UdpNic implements AutoCloseable {

    private final DatagramChannel channel;
    private final InetSocketAddress qemu;
    private final Map<Integer, AtomicLong> byType = new ConcurrentHashMap<>();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final Thread reader;

    private UdpNic(DatagramChannel channel, InetSocketAddress qemu) {
        this.channel = channel;
        this.qemu = qemu;
        this.reader = Thread.ofPlatform().daemon().name("udp-nic").start(this::read);
    }

    /** Binds a port on 127.0.0.1 and picks a free one for QEMU's end. */
    public static UdpNic open() {
        try {
            InetSocketAddress peer;
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
                probe.bind(new InetSocketAddress("127.0.0.1", 0));
                peer = (InetSocketAddress) probe.getLocalAddress();
            }
            DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
            c.bind(new InetSocketAddress("127.0.0.1", 0));
            return new UdpNic(c, peer);
        } catch (IOException e) {
            throw new PeerException("cannot bind a UDP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** The netdev for QEMU's {@code -netdev}: it sends to this end and listens on its own. */
    public String netdev(String id) {
        try {
            int mine = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            return "socket,id=" + id + ",udp=127.0.0.1:" + mine + ",localaddr=127.0.0.1:" + qemu.getPort();
        } catch (IOException e) {
            throw new PeerException("the UDP NIC's port: " + e.getMessage(), e);
        }
    }

    private void read() {
        ByteBuffer b = ByteBuffer.allocate(65536);
        while (channel.isOpen()) {
            try {
                b.clear();
                var from = channel.receive(b);
                if (!qemu.equals(from)) {
                    foreign.incrementAndGet();
                    continue;
                }
                b.flip();
                int type = b.remaining() >= 14 ? b.getShort(12) & 0xffff : -1;
                byType.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
                frames.incrementAndGet();
            } catch (AsynchronousCloseException e) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Sends one frame into the guest's NIC. */
    public void send(byte[] frame) {
        try {
            channel.send(ByteBuffer.wrap(frame), qemu);
        } catch (IOException e) {
            throw new PeerException("cannot send a frame to QEMU at " + qemu + ": " + e.getMessage(), e);
        }
    }

    /** Frames the NIC sent. */
    public long frames() {
        return frames.get();
    }

    /** Frames the NIC sent of this EtherType (-1: shorter than an Ethernet header). */
    public long frames(int etherType) {
        AtomicLong n = byType.get(etherType);
        return n == null ? 0 : n.get();
    }

    /** Datagrams from elsewhere than QEMU's end, ignored. */
    public long foreign() {
        return foreign.get();
    }

    /** Waits until {@code frames(etherType)} reaches {@code count}; returns what it is then. */
    public long await(int etherType, long count, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frames(etherType) < count && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return frames(etherType);
    }

    /**
     * An ARP request (RFC 826) from {@code sha}/{@code spa} for {@code tpa}, sent to {@code dst},
     * padded to the 60-byte Ethernet minimum.
     */
    public static byte[] arpRequest(byte[] dst, byte[] sha, byte[] spa, byte[] tpa) {
        ByteBuffer f = ByteBuffer.allocate(60);
        f.put(dst).put(sha).putShort((short) 0x0806);
        f.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        f.put(sha).put(spa).put(new byte[6]).put(tpa);
        return f.array();
    }

    @Override
    public void close() {
        try {
            channel.close();
            reader.join(java.time.Duration.ofSeconds(5));
        } catch (IOException e) {
            // nothing held open any more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
