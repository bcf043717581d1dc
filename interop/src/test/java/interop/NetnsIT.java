package interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import interop.peer.Netns;
import interop.peer.PeerException;
import interop.peer.PeerProcess;
import interop.peer.Peers;
import interop.peer.Tap;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The namespace and TAP helper: devices are made inside a namespace the test creates, the test
 * process reaches a TAP device there through its own file descriptor (setns on a thread of its
 * own), and deleting the namespace leaves nothing. Addresses: 10.0.4.1 on the namespace's side of
 * the TAP, 10.0.4.2 answered by this test through the file descriptor; nothing else is a target.
 */
@ExtendWith(NoLeftovers.class)
class NetnsIT {

    private static final String NS_IP = "10.0.4.1";
    private static final String TEST_IP = "10.0.4.2";
    private static final byte[] TEST_MAC = HexFormat.ofDelimiter(":").parseHex("02:00:00:00:04:02");

    @BeforeAll
    static void peers() {
        Peers.require(Peers.IPROUTE);
    }

    @Test
    void devicesLiveInsideTheNamespaceAndGoWithIt() {
        String name;
        try (Netns ns = Netns.create()) {
            name = ns.name();
            ns.addTap("tap0");
            ns.addVeth("veth0", "veth1");
            ns.up("veth0");
            ns.up("veth1");
            assertThat(Netns.list()).contains(name);
            assertThat(ns.devices()).contains("lo", "tap0", "veth0", "veth1");
            assertThat(rootDevices()).as("nothing was made in the root namespace").doesNotContain("tap0", "veth0", "veth1");
        }
        assertThat(Netns.list()).doesNotContain(name);
    }

    @Test
    void aFailureInsideLeavesNoNamespace() {
        String[] name = new String[1];
        assertThatThrownBy(() -> {
            try (Netns ns = Netns.create()) {
                name[0] = ns.name();
                ns.addTap("tap0");
                ns.addTap("tap0"); // exists already: ip fails
            }
        }).isInstanceOf(PeerException.class).hasMessageContaining("tuntap add dev tap0");
        assertThat(Netns.list()).doesNotContain(name[0]);
    }

    /**
     * The namespace's kernel pings 10.0.4.2 on the TAP and the test answers through its file
     * descriptor: the ARP request and the echo request come out of it, the ARP reply and the
     * echo reply go in; ping succeeds and the neighbour table holds our MAC.
     */
    @Test
    void theNamespacePingsTheTestProcessThroughItsTap() {
        try (Netns ns = Netns.create()) {
            ns.addTap("tap0");
            try (Tap tap = Tap.open(ns, "tap0")) {
                ns.address("tap0", NS_IP + "/24");
                ns.up("tap0");
                try (PeerProcess ping = PeerProcess.start("ping-in-ns",
                        List.of("ip", "netns", "exec", ns.name(), "ping", "-c", "1", "-W", "10", TEST_IP),
                        Duration.ofSeconds(30), List.of())) {
                    tap.write(arpReply(await(tap, NetnsIT::isArpRequestForUs, "an ARP request for " + TEST_IP)));
                    tap.write(echoReply(await(tap, NetnsIT::isEchoRequestToUs, "an echo request to " + TEST_IP)));
                    assertThat(ping.waitFor(Duration.ofSeconds(20))).as("ping's exit: answered").isZero();
                }
                assertThat(ns.counter("tap0", "rx_packets")).as("frames the namespace received on tap0").isEqualTo(2);
                String neighbour = ns.exec("ip", "neigh", "show", TEST_IP, "dev", "tap0");
                assertThat(neighbour).contains("lladdr " + HexFormat.ofDelimiter(":").formatHex(TEST_MAC));
            }
        }
    }

    /** The first frame out of the TAP that {@code wanted} accepts (IPv6 chatter and others are skipped). */
    private static byte[] await(Tap tap, java.util.function.Predicate<byte[]> wanted, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            byte[] frame = tap.read(Duration.ofMillis(200));
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no " + what + " came out of the TAP in 20 s");
    }

    private static boolean isArpRequestForUs(byte[] f) {
        return f.length >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 && f[21] == 1 && ipv4(f, 38).equals(TEST_IP);
    }

    private static boolean isEchoRequestToUs(byte[] f) {
        return f.length >= 42 && f[12] == 0x08 && f[13] == 0x00 && (f[14] & 0xff) == 0x45 && f[23] == 1
                && ipv4(f, 30).equals(TEST_IP) && f[34] == 8;
    }

    /** The echo reply (RFC 792): addresses swapped, type 0, the ICMP checksum computed anew. */
    private static byte[] echoReply(byte[] request) {
        int ipLength = ((request[16] & 0xff) << 8) | (request[17] & 0xff);
        byte[] reply = java.util.Arrays.copyOf(request, 14 + ipLength);
        System.arraycopy(request, 6, reply, 0, 6);
        System.arraycopy(TEST_MAC, 0, reply, 6, 6);
        System.arraycopy(request, 30, reply, 26, 4);   // the IPv4 header checksum stays: same words
        System.arraycopy(request, 26, reply, 30, 4);
        reply[34] = 0;
        reply[36] = 0;
        reply[37] = 0;
        int sum = 0;
        for (int i = 34; i < reply.length; i += 2) {
            sum += ((reply[i] & 0xff) << 8) | (i + 1 < reply.length ? reply[i + 1] & 0xff : 0);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        reply[36] = (byte) (~sum >> 8);
        reply[37] = (byte) ~sum;
        return reply;
    }

    /** An ARP reply to {@code request} (RFC 826): "10.0.4.2 is at 02:00:00:00:04:02". */
    private static byte[] arpReply(byte[] request) {
        ByteBuffer reply = ByteBuffer.allocate(42);
        reply.put(request, 6, 6).put(TEST_MAC).putShort((short) 0x0806);       // Ethernet: to the asker, from us
        reply.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2);
        reply.put(TEST_MAC).put(request, 38, 4);                                // sender: us, the address asked for
        reply.put(request, 22, 6).put(request, 28, 4);                          // target: the asker
        return reply.array();
    }

    private static String ipv4(byte[] frame, int at) {
        return (frame[at] & 0xff) + "." + (frame[at + 1] & 0xff) + "." + (frame[at + 2] & 0xff) + "." + (frame[at + 3] & 0xff);
    }

    private static List<String> rootDevices() {
        try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("/sys/class/net"))) {
            return dirs.map(p -> p.getFileName().toString()).toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
