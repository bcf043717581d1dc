package interop;

import static org.assertj.core.api.Assertions.assertThat;

import interop.peer.GuestEvent;
import interop.peer.GuestImage;
import interop.peer.GuestReport;
import interop.peer.Peers;
import interop.peer.PortStats;
import interop.peer.Qemu;
import interop.peer.Qemu.VhostUserNic;
import interop.peer.Testpmd;
import interop.peer.Testpmd.Forward;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/**
 * An unmodified Linux guest's virtio-net driver in QEMU on DPDK's vhost PMD: the backend role
 * busbar's vhost-user backend takes later, here played by DPDK so the guest harness is proven
 * first. The guest's address (10.0.3.2) and the one it pings (10.0.3.1) exist only inside this
 * datapath: testpmd's icmpecho engine answers ARP and echo requests for any address, its macswap
 * engine sends every frame back to the guest.
 */
@ExtendWith(NoLeftovers.class)
class GuestOnVhostPmdIT {

    /** TCG boots a guest in a few seconds; a loaded, shared machine takes much longer. */
    private static final Duration GUEST = Duration.ofSeconds(120);
    private static final Duration START = Duration.ofSeconds(60);
    private static final String GUEST_IP = "10.0.3.2/24";
    private static final String PEER_IP = "10.0.3.1";

    private static GuestImage image;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildGuest() {
        Peers.require(Peers.QEMU, Peers.TESTPMD, Peers.GUEST_BUILD);
        image = GuestImage.buildDefault();
    }

    @Test
    void guestPingsThroughSplitRingAndCountersAgree() {
        Run run = pingRun(VhostUserNic.connect(dir.resolve("vhost.sock")), 1, Forward.ICMPECHO,
                "busbar_ping " + PEER_IP + " 5 -i 0.2 -W 5");
        GuestEvent ping = run.report.event("ping");
        assertThat(ping.number("transmitted")).isEqualTo(5);
        assertThat(ping.number("received")).as("echo replies from testpmd's icmpecho").isEqualTo(5);
        assertThat(feature(run.report, VirtioFeatures.VIRTIO_F_RING_PACKED)).isFalse();
        run.assertCountersAgree();
    }

    @Test
    void guestPingsThroughPackedRingWithoutMergeableBuffers() {
        VhostUserNic nic = VhostUserNic.connect(dir.resolve("vhost.sock")).packed(true).mrgRxbuf(false);
        Run run = pingRun(nic, 1, Forward.ICMPECHO, "busbar_ping " + PEER_IP + " 5 -i 0.2 -W 5");
        assertThat(run.report.event("ping").number("received")).isEqualTo(5);
        assertThat(feature(run.report, VirtioFeatures.VIRTIO_F_RING_PACKED)).as("packed ring negotiated").isTrue();
        assertThat(feature(run.report, VirtioNet.VIRTIO_NET_F_MRG_RXBUF)).as("mergeable buffers").isFalse();
        run.assertCountersAgree();
    }

    /**
     * Two queue pairs; the guest has one CPU, so only the channels it sets make the second pair
     * carry traffic. Transmit queues are picked by flow hash: new flows (addresses) are pinged
     * until both queues carried frames, at most 40.
     */
    @Test
    void guestSetsTwoChannelsAndBothQueuePairsCarryTraffic() {
        VhostUserNic nic = VhostUserNic.connect(dir.resolve("vhost.sock")).queues(2);
        String script = "busbar_ping " + PEER_IP + " 3 -i 0.2 -W 5\n" + twoQueueFlows("", 2);
        Run run = pingRun(nic, 2, Forward.ICMPECHO, script);
        assertThat(run.report.event("ready").number("channels")).isEqualTo(2);
        assertThat(feature(run.report, VirtioNet.VIRTIO_NET_F_MQ)).isTrue();
        assertThat(run.report.event("ping").number("received")).isEqualTo(3);
        GuestEvent queues = run.report.ethtool();
        for (int q = 0; q < 2; q++) {
            assertThat(queues.number("tx_queue_" + q + "_packets")).as("frames the guest sent on queue %d", q).isPositive();
            assertThat(queues.number("rx_queue_" + q + "_packets")).as("replies the guest took on queue %d", q).isPositive();
        }
        run.assertCountersAgree();
    }

    /** QEMU listens (server=on) and the vhost PMD connects (client=1), as busbar's client mode will. */
    @Test
    void guestListeningBackendConnecting() {
        Path socket = dir.resolve("qemu.sock");
        Qemu qemu = Qemu.guest(image).nic(VhostUserNic.connect(socket).listening()).ip(GUEST_IP)
                .script("busbar_ping " + PEER_IP + " 3 -i 0.2 -W 5").lifetime(GUEST).name("guest-listening").start();
        try (qemu) {
            qemu.awaitListening(socket, START);
            try (Testpmd backend = Testpmd.vhost(socket).listen(false).name("vhost-icmpecho-client").start()) {
                backend.awaitReady(START).forward(Forward.ICMPECHO).startForwarding();
                GuestReport report = qemu.awaitExit(GUEST);
                assertThat(report.exitCode()).isZero();
                assertThat(report.event("ping").number("received")).isEqualTo(3);
                assertCountersAgree(report, backend.portStats(0));
            }
        }
        assertThat(qemu.process().leftovers()).isEmpty();
        assertThat(socket).doesNotExist();
    }

    /**
     * macswap sends every frame straight back: the guest receives exactly what it sent. A static
     * neighbour entry for the peer means no ARP: the guest sends exactly its four echo requests.
     */
    @Test
    void macswapReflectsEveryFrameBackToTheGuest() {
        String script = """
                arp -i eth0 -s %s 02:00:00:00:00:01 || exit 1
                busbar_ping %s 4 -i 0.2 -W 1
                # a reflection may come after ping gave up: wait (10 s at most) for all four
                i=0
                while [ "$(cat /sys/class/net/eth0/statistics/rx_packets)" -lt 4 ] && [ $i -lt 100 ]; do
                    usleep 100000
                    i=$((i + 1))
                done
                exit 0
                """.formatted(PEER_IP, PEER_IP);
        Run run = pingRun(VhostUserNic.connect(dir.resolve("vhost.sock")), 1, Forward.MACSWAP, script);
        assertThat(run.report.event("ping").number("received"))
                .as("a reflected echo request is no reply").isZero();
        GuestEvent stat = run.report.stat();
        assertThat(stat.number("tx_packets")).as("the echo requests").isEqualTo(4);
        assertThat(stat.number("rx_packets")).as("every frame came back").isEqualTo(4);
        run.assertCountersAgree();
    }

    /** The flows of {@link #twoQueueFlows}: 10.0.3.FIRST_FLOW and on, at most MAX_FLOWS of them. */
    static final int FIRST_FLOW = 10;
    static final int MAX_FLOWS = 40;

    /**
     * A guest script: one echo request to each new address (10.0.3.10 on, at most 40) until both
     * transmit queues carried frames; {@code perFlow} runs first for each ({@code $i} is its last
     * byte), {@code wait} is ping's -W. It says {@code flows last=<address> pinged=<echo requests>}.
     */
    static String twoQueueFlows(String perFlow, int wait) {
        return """
                i=%d n=0
                while [ $i -lt %d ]; do
                    %s
                    ping -c 1 -W %d 10.0.3.$i >/dev/null
                    n=$((n + 1))
                    s=$(busbar-ethtool stats eth0)
                    q0=$(echo "$s" | sed -n 's/^tx_queue_0_packets=//p')
                    q1=$(echo "$s" | sed -n 's/^tx_queue_1_packets=//p')
                    [ "$q0" -gt 0 ] && [ "$q1" -gt 0 ] && break
                    i=$((i + 1))
                done
                say "flows last=10.0.3.$i pinged=$n"
                """.formatted(FIRST_FLOW, FIRST_FLOW + MAX_FLOWS, perFlow.isEmpty() ? ":" : perFlow, wait);
    }

    private record Run(GuestReport report, PortStats backend) {
        void assertCountersAgree() {
            GuestOnVhostPmdIT.assertCountersAgree(report, backend);
        }
    }

    /** The vhost PMD listens, the guest connects (reconnect=1); the backend forwards with {@code mode}. */
    private Run pingRun(VhostUserNic nic, int queues, Forward mode, String script) {
        try (Testpmd backend = Testpmd.vhost(nic.socket()).queues(queues).name("vhost-" + mode.name().toLowerCase()).start()) {
            backend.awaitListening(START);
            Qemu.Builder guest = Qemu.guest(image).nic(nic).ip(GUEST_IP).script(script).lifetime(GUEST).name("guest");
            if (queues > 1) {
                guest.channels(queues);
            }
            Qemu qemu = guest.start();
            try (qemu) {
                backend.awaitReady(START).forward(mode).startForwarding();
                GuestReport report = qemu.awaitExit(GUEST);
                assertThat(report.errors()).as("errors the guest reported").isEmpty();
                assertThat(report.exitCode()).as("the guest's script").isZero();
                return new Run(report, backend.portStats(0));
            } finally {
                assertThat(qemu.process().leftovers()).isEmpty();
            }
        }
    }

    /**
     * Everything the guest's driver sent, the vhost PMD received, and everything the vhost PMD
     * put into the guest's receive ring, the guest's driver took: exact, as the guest is off.
     */
    static void assertCountersAgree(GuestReport report, PortStats backend) {
        GuestEvent stat = report.stat();
        assertThat(stat.value("settled")).as("the guest's counters stopped moving before it read them").isEqualTo("yes");
        assertThat(backend.rxPackets()).as("frames the vhost PMD received = frames the guest sent")
                .isEqualTo(stat.number("tx_packets")).isPositive();
        assertThat(backend.rxBytes()).as("bytes").isEqualTo(stat.number("tx_bytes"));
        assertThat(backend.txPackets()).as("frames the vhost PMD sent = frames the guest received")
                .isEqualTo(stat.number("rx_packets")).isPositive();
        assertThat(backend.txBytes()).as("bytes").isEqualTo(stat.number("rx_bytes"));
    }

    /** A feature bit from the ready line: /sys/bus/virtio/devices/.../features, one digit per bit. */
    static boolean feature(GuestReport report, int bit) {
        String bits = report.event("ready").value("features");
        return bit < bits.length() && bits.charAt(bit) == '1';
    }
}
