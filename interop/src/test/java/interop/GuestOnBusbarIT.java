package interop;

import static org.assertj.core.api.Assertions.assertThat;

import interop.peer.Busbar;
import interop.peer.GuestEvent;
import interop.peer.GuestImage;
import interop.peer.GuestReport;
import interop.peer.Peers;
import interop.peer.Qemu;
import interop.peer.Qemu.VhostUserNic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/**
 * An unmodified Linux guest's virtio-net driver in QEMU on busbar's own vhost-user backend: the
 * runtime jar runs with two simulated NICs on a cable, vdpa0 served to the guest by vhost_vdpa
 * (its .cfg pins it there), vdpa1 bound to virtio_net, whose NetDevice is the guest's partner
 * across the cable. Every frame the guest sends is counted three times on the busbar side (the
 * guest-facing device's vstats, the partner device's vstats, the partner NetDevice) and must agree
 * exactly with the guest kernel's own counters. The guest's address and the addresses it sends to
 * exist only inside this datapath.
 */
@ExtendWith(NoLeftovers.class)
class GuestOnBusbarIT {

    static final Duration GUEST = Duration.ofSeconds(120);
    static final Duration RUNTIME = Duration.ofSeconds(240);
    static final Duration STEP = Duration.ofSeconds(30);
    static final String GUEST_IP = "10.0.3.2/24";
    static final String PEER_IP = "10.0.3.1";
    /** vdpa0's MAC, which the guest's NIC carries too, and vdpa1's, the partner's. */
    static final String GUEST_MAC = "52:54:00:12:34:00";
    static final String PEER_MAC = "52:54:00:12:34:01";

    private static GuestImage image;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildGuest() {
        Peers.require(Peers.QEMU, Peers.GUEST_BUILD);
        image = GuestImage.buildDefault();
    }

    /**
     * Nothing on the busbar side answers yet: the guest's ARP requests for the peer go across the
     * cable and are counted by the partner NetDevice, one for one.
     */
    @Test
    void guestArpRequestsCrossTheCableCountedExactly() {
        Run run = run(VhostUserNic.connect(home().socket()), "busbar_ping " + PEER_IP + " 3 -i 0.5 -W 1\nexit 0");
        assertThat(run.report.event("ping").number("transmitted")).isEqualTo(3);
        assertThat(GuestOnVhostPmdIT.feature(run.report, VirtioFeatures.VIRTIO_F_RING_PACKED)).isFalse();
        run.assertCountersAgree();
    }

    @Test
    void bulkStreamOfFullSizedFramesSplitRing() {
        Run run = run(VhostUserNic.connect(home().socket()), bulk(500));
        assertThat(run.report.stat().number("tx_packets")).as("every echo request left the guest").isGreaterThanOrEqualTo(500);
        run.assertCountersAgree();
    }

    @Test
    void bulkStreamPackedRingWithoutMergeableBuffers() {
        Run run = run(VhostUserNic.connect(home().socket()).packed(true).mrgRxbuf(false), bulk(300));
        assertThat(GuestOnVhostPmdIT.feature(run.report, VirtioFeatures.VIRTIO_F_RING_PACKED)).as("packed ring").isTrue();
        assertThat(GuestOnVhostPmdIT.feature(run.report, VirtioNet.VIRTIO_NET_F_MRG_RXBUF)).as("mergeable buffers").isFalse();
        assertThat(run.report.stat().number("tx_packets")).isGreaterThanOrEqualTo(300);
        run.assertCountersAgree();
    }

    /**
     * Two queue pairs with the guest setting 2 channels: new flows (addresses, each with a static
     * neighbour entry pointing at the partner) until both transmit queues carried frames; each
     * queue's count in the guest's driver equals the device's count on that queue.
     */
    @Test
    void twoQueuePairsEachQueueCountedExactly() {
        String script = GuestOnVhostPmdIT.twoQueueFlows("arp -i eth0 -s 10.0.3.$i " + PEER_MAC + " || exit 1", 1) + "exit 0\n";
        Run run = run(VhostUserNic.connect(home().socket()).queues(2), script, 2);
        assertThat(run.report.event("ready").number("channels")).isEqualTo(2);
        assertThat(GuestOnVhostPmdIT.feature(run.report, VirtioNet.VIRTIO_NET_F_MQ)).isTrue();
        GuestEvent queues = run.report.ethtool();
        for (int q = 0; q < 2; q++) {
            long guest = queues.number("tx_queue_" + q + "_packets");
            assertThat(guest).as("frames the guest sent on queue pair %d", q).isPositive();
            assertThat(run.partner.deviceTx().perPair()[q]).as("the device's frames on queue pair %d", q).isEqualTo(guest);
        }
        run.assertCountersAgree();
    }

    /** {@code count} full-sized (1514-byte) echo requests as fast as busybox ping sends them. */
    static String bulk(int count) {
        return """
                arp -i eth0 -s %s %s || exit 1
                ping -q -c %d -i 0.001 -s 1472 -W 1 %s
                exit 0
                """.formatted(PEER_IP, PEER_MAC, count, PEER_IP);
    }

    /** The runtime's home in this test's folder; its sockets below a short runtime dir beside it. */
    private Home home() {
        return Home.twoNicsOnACable(dir);
    }

    private Run run(VhostUserNic nic, String script) {
        return run(nic, script, 1);
    }

    private Run run(VhostUserNic nic, String script, int channels) {
        Home home = home();
        try (Busbar busbar = home.start("busbar")) {
            busbar.awaitShell("vhost:show vdpa0", Pattern.compile("server listening"), STEP);
            Partner partner = Partner.await(busbar);
            Qemu.Builder guest = Qemu.guest(image).nic(nic.mac(GUEST_MAC)).ip(GUEST_IP).script(script).lifetime(GUEST).name("guest");
            if (channels > 1) {
                guest.channels(channels);
            }
            Qemu qemu = guest.start();
            try (qemu) {
                GuestReport report = qemu.awaitExit(GUEST);
                assertThat(report.errors()).as("errors the guest reported").isEmpty();
                assertThat(report.exitCode()).as("the guest's script").isZero();
                return new Run(report, partner.counters());
            } finally {
                assertThat(qemu.process().leftovers()).isEmpty();
            }
        }
    }

    record Run(GuestReport report, Partner.Counters partner) {
        /**
         * The guest is off: nothing is in flight, every count is final. The partner NetDevice has
         * no receiver (frames wait in its backlog, counted when taken), so what crossed the cable
         * is counted by the two devices' vstats; what the guest received, by the partner's
         * NetDevice (what it sent) and the guest's device (what it put into the guest's ring).
         */
        void assertCountersAgree() {
            GuestEvent stat = report.stat();
            assertThat(stat.value("settled")).as("the guest's counters stopped moving").isEqualTo("yes");
            long sent = stat.number("tx_packets");
            long sentBytes = stat.number("tx_bytes");
            assertThat(sent).as("frames the guest sent").isPositive();
            assertThat(partner.deviceTx().frames()).as("frames the guest's device sent onto the cable").isEqualTo(sent);
            assertThat(partner.deviceTx().bytes()).as("bytes").isEqualTo(sentBytes);
            assertThat(partner.partnerRx().frames()).as("frames the partner device took from the cable").isEqualTo(sent);
            assertThat(partner.partnerRx().bytes()).as("bytes").isEqualTo(sentBytes);
            long received = stat.number("rx_packets");
            assertThat(partner.deviceRx().frames()).as("frames the guest's device put into its ring = frames the guest received")
                    .isEqualTo(received);
            assertThat(partner.deviceRx().bytes()).as("bytes").isEqualTo(stat.number("rx_bytes"));
            assertThat(partner.txFrames()).as("frames the partner NetDevice sent = frames the guest received").isEqualTo(received);
            assertThat(partner.txBytes()).as("bytes").isEqualTo(stat.number("rx_bytes"));
        }
    }

    /** The runtime's folders: deploy/ with vdpa0 (vhost_vdpa) and vdpa1 (virtio_net) on cable c0. */
    record Home(Path home, Path runtimeDir) {
        static Home twoNicsOnACable(Path dir) {
            Home h = new Home(dir.resolve("home"), dir.resolve("run"));
            if (!java.nio.file.Files.isDirectory(h.home.resolve("deploy"))) {
                Busbar.deploy(h.home, "vdpa.sim.net-vdpa0.cfg", nic("vdpa0", GUEST_MAC) + "driver_override=vhost_vdpa\n");
                Busbar.deploy(h.home, "vdpa.sim.net-vdpa1.cfg", nic("vdpa1", PEER_MAC));
            }
            return h;
        }

        /** Only vdpa0 (vhost_vdpa), on a loopback: every frame the guest sends comes back to it. */
        static Home guestOnLoopback(Path dir) {
            Home h = new Home(dir.resolve("home"), dir.resolve("run"));
            if (!java.nio.file.Files.isDirectory(h.home.resolve("deploy"))) {
                Busbar.deploy(h.home, "vdpa.sim.net-vdpa0.cfg",
                        nic("vdpa0", GUEST_MAC).replace("cable:c0", "loopback") + "driver_override=vhost_vdpa\n");
            }
            return h;
        }

        private static String nic(String name, String mac) {
            return "name=" + name + "\nmac=" + mac + "\nmtu=1500\nmax_vqp=2\nlink=cable:c0\n";
        }

        Busbar start(String name) {
            return Busbar.start(name, home, runtimeDir, RUNTIME);
        }

        Path socket() {
            return Busbar.socket(runtimeDir, "vdpa0");
        }
    }

    /** The partner side of the cable as the runtime's shell shows it. */
    record Partner(Busbar busbar, String name) {
        private static final Pattern LINK = Pattern.compile("\\{\"index\":\\d+,\"name\":\"(eth\\d+)\"[^\\[]*\"device\":\"virtio\\d+\"");

        /** Waits for the partner's NetDevice. */
        static Partner await(Busbar busbar) {
            Matcher m = busbar.awaitShell("net:link -j", LINK, STEP);
            return new Partner(busbar, m.group(1));
        }

        /**
         * The partner NetDevice's totals, and per queue pair the frames the guest's device (vdpa0)
         * sent onto the cable and the partner device (vdpa1) took from it.
         */
        record Counters(long txFrames, long txBytes, Vstat deviceTx, Vstat deviceRx, Vstat partnerRx) {}

        /** One direction of a device over both queue pairs; {@code perPair} frames by pair. */
        record Vstat(long frames, long bytes, long[] perPair) {}

        Counters counters() {
            String json = busbar.shell("net:link -j " + name, STEP);
            return new Counters(sum(json, "txFrames"), sum(json, "txBytes"),
                    vstat("vdpa0", "tx"), vstat("vdpa0", "rx"), vstat("vdpa1", "rx"));
        }

        /** A direction's frames and bytes from {@code vdpa:dev vstats} (rx: queues 0 and 2, tx: 1 and 3). */
        Vstat vstat(String device, String direction) {
            long[] frames = new long[2];
            long bytes = 0;
            for (int pair = 0; pair < 2; pair++) {
                int qidx = 2 * pair + (direction.equals("tx") ? 1 : 0);
                frames[pair] = vstat(device, qidx, direction + "_frames");
                bytes += vstat(device, qidx, direction + "_bytes");
            }
            return new Vstat(frames[0] + frames[1], bytes, frames);
        }

        /** One counter of {@code vdpa:dev vstats show <device> qidx <qidx>}. */
        long vstat(String device, int qidx, String stat) {
            String out = busbar.shell("vdpa:dev vstats show " + device + " qidx " + qidx, STEP);
            Matcher m = Pattern.compile(" name " + stat + " value (\\d+)").matcher(out);
            assertThat(m.find()).as("%s in:\n%s", stat, out).isTrue();
            return Long.parseLong(m.group(1));
        }

        private static long sum(String json, String field) {
            Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
            long total = 0;
            boolean any = false;
            while (m.find()) {
                total += Long.parseLong(m.group(1));
                any = true;
            }
            assertThat(any).as("%s in:\n%s", field, json).isTrue();
            return total;
        }
    }
}
