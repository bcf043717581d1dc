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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
 * across the cable, with the runtime's responder on it ({@code net:addr <partner> 10.0.3.1/24}).
 * The guest pings the responder and gets every reply, then sends a bulk stream of full-sized echo
 * requests, each answered. Every frame the guest sends is counted four times on the busbar side
 * (the guest-facing device's vstats, the partner device's, the partner NetDevice's receive
 * counters, the responder's outcomes) and every frame it receives four times back (the responder's
 * answers, the partner NetDevice's transmit counters, the two devices' vstats); all of them must
 * agree exactly with the guest kernel's own counters. The guest's address and the addresses it
 * sends to exist only inside this datapath.
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

    @Test
    void splitRingPingsTheResponderThenABulkStreamAllAnswered() {
        Run run = run(VhostUserNic.connect(home().socket()), pingThenBulk(PEER_IP, 500));
        assertThat(GuestOnVhostPmdIT.feature(run.report, VirtioFeatures.VIRTIO_F_RING_PACKED)).isFalse();
        run.assertEveryEchoAnswered(3, 500);
        run.assertCountersAgree();
    }

    @Test
    void packedRingWithoutMergeableBuffersPingsThenABulkStreamAllAnswered() {
        Run run = run(VhostUserNic.connect(home().socket()).packed(true).mrgRxbuf(false), pingThenBulk(PEER_IP, 300));
        assertThat(GuestOnVhostPmdIT.feature(run.report, VirtioFeatures.VIRTIO_F_RING_PACKED)).as("packed ring").isTrue();
        assertThat(GuestOnVhostPmdIT.feature(run.report, VirtioNet.VIRTIO_NET_F_MRG_RXBUF)).as("mergeable buffers").isFalse();
        run.assertEveryEchoAnswered(3, 300);
        run.assertCountersAgree();
    }

    /**
     * Two queue pairs with the guest setting 2 channels: new flows (addresses the responder also
     * answers for, 10.0.3.10 on) until both transmit queues carried frames, then the bulk stream.
     * Each queue's count in the guest's driver equals the device's count on that queue, both ways:
     * the partner receives pair p's frames on its pair p and the responder answers on the queue a
     * request came in on, so both receive queues carry replies too.
     */
    @Test
    void twoQueuePairsEachQueueCountedExactlyBothWays() {
        String script = GuestOnVhostPmdIT.twoQueueFlows("", 2) + pingThenBulk(PEER_IP, 300);
        List<String> flows = IntStream.range(GuestOnVhostPmdIT.FIRST_FLOW, GuestOnVhostPmdIT.FIRST_FLOW + GuestOnVhostPmdIT.MAX_FLOWS)
                .mapToObj(i -> "10.0.3." + i + "/24").toList();
        Run run = run(VhostUserNic.connect(home().socket()).queues(2), script, 2, flows);
        assertThat(run.report.event("ready").number("channels")).isEqualTo(2);
        assertThat(GuestOnVhostPmdIT.feature(run.report, VirtioNet.VIRTIO_NET_F_MQ)).isTrue();
        run.assertEveryEchoAnswered(3, 300);
        GuestEvent queues = run.report.ethtool();
        for (int q = 0; q < 2; q++) {
            long sent = queues.number("tx_queue_" + q + "_packets");
            long received = queues.number("rx_queue_" + q + "_packets");
            assertThat(sent).as("frames the guest sent on queue pair %d", q).isPositive();
            assertThat(run.partner.deviceTx().perPair()[q]).as("the device's frames sent on queue pair %d", q).isEqualTo(sent);
            assertThat(received).as("replies the guest took on queue pair %d", q).isPositive();
            assertThat(run.partner.deviceRx().perPair()[q]).as("the device's frames received on queue pair %d", q).isEqualTo(received);
        }
        run.assertCountersAgree();
    }

    /**
     * A guest script: three echo requests to {@code peer} (its neighbour entry learnt by ARP, which
     * the responder answers too), then {@code count} full-sized (1514-byte) ones as fast as
     * busybox ping sends them; each ping waits up to 2 s for its last replies.
     */
    static String pingThenBulk(String peer, int count) {
        return """
                busbar_ping %s 3 -i 0.2 -W 2
                busbar_ping %s %d -q -i 0.001 -s 1472 -W 2
                say "icmp$(awk '/^Icmp:/ { if (!h) { for (i = 2; i <= NF; i++) n[i] = $i; h = 1 }
                    else { for (i = 2; i <= NF; i++) printf " %%s=%%s", n[i], $i } }' /proc/net/snmp)"
                exit 0
                """.formatted(peer, peer, count);
    }

    /**
     * The pings of {@link #pingThenBulk} (after {@link GuestOnVhostPmdIT#twoQueueFlows}'s, if
     * any): each sent as many echo requests as asked, the paced probe got a reply to every one,
     * and the guest's IP stack took a reply to every echo request it sent (Icmp OutEchos and
     * InEchoReps of /proc/net/snmp). busybox ping's own count of the bulk stream may be lower: it
     * sizes its socket's receive buffer to two replies plus 7 KiB, so when the guest's one vCPU
     * is held off the host CPU a burst of replies overflows it inside the guest; how many is
     * printed.
     */
    static void assertEveryEchoAnswered(GuestReport report, int probe, int bulk) {
        List<GuestEvent> pings = report.events("ping");
        assertThat(pings).as("the guest's pings").hasSize(2);
        assertThat(pings.get(0).number("transmitted")).as("echo requests of the probe").isEqualTo(probe);
        assertThat(pings.get(0).number("received")).as("replies to the probe").isEqualTo(probe);
        assertThat(pings.get(1).number("transmitted")).as("echo requests of the bulk stream").isEqualTo(bulk);
        long sent = probe + bulk + report.events("flows").stream().mapToLong(f -> f.number("pinged")).sum();
        GuestEvent icmp = report.event("icmp");
        assertThat(icmp.number("OutEchos")).as("echo requests the guest's stack sent").isEqualTo(sent);
        assertThat(icmp.number("InEchoReps")).as("echo replies the guest's stack received").isEqualTo(sent);
        long missed = bulk - pings.get(1).number("received");
        assertThat(missed).as("replies busybox ping missed of the bulk stream").isNotNegative();
        if (missed > 0) {
            System.out.printf("%d of %d replies of the bulk stream reached the guest's stack but overflowed ping's socket%n",
                    missed, bulk);
        }
    }

    /** The runtime's home in this test's folder; its sockets below a short runtime dir beside it. */
    private Home home() {
        return Home.twoNicsOnACable(dir);
    }

    private Run run(VhostUserNic nic, String script) {
        return run(nic, script, 1, List.of());
    }

    /** Boots the guest on vdpa0 with the responder on the partner at 10.0.3.1/24 and {@code more} addresses. */
    private Run run(VhostUserNic nic, String script, int channels, List<String> more) {
        Home home = home();
        try (Busbar busbar = home.start("busbar")) {
            busbar.awaitShell("vhost:show vdpa0", Pattern.compile("server listening"), STEP);
            Partner partner = Partner.await(busbar);
            partner.answer(Stream.concat(Stream.of(PEER_IP + "/24"), more.stream()).toList());
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
        void assertEveryEchoAnswered(int probe, int bulk) {
            GuestOnBusbarIT.assertEveryEchoAnswered(report, probe, bulk);
        }

        /**
         * The guest is off: nothing is in flight, every count is final. What the guest sent was
         * counted by its device (onto the cable), the partner device (from it), the partner
         * NetDevice (handed to the responder) and the responder (an outcome per frame: answered,
         * and nothing ignored or dropped); what the guest received was answered by the responder,
         * sent by the partner NetDevice, counted by both devices and put into the guest's ring.
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
            assertThat(partner.rxFrames()).as("frames the partner NetDevice handed to the responder").isEqualTo(sent);
            assertThat(partner.rxBytes()).as("bytes").isEqualTo(sentBytes);
            assertThat(partner.drops()).as("frames the partner NetDevice dropped").isZero();
            Map<String, Long> answered = partner.answered();
            long echoes = report.events("ping").stream().mapToLong(p -> p.number("transmitted")).sum()
                    + report.events("flows").stream().mapToLong(f -> f.number("pinged")).sum();
            assertThat(answered.get("echo_replies")).as("echo requests the responder answered = the guest's").isEqualTo(echoes);
            long replies = answered.get("arp_replies") + answered.get("echo_replies");
            assertThat(answered.values().stream().mapToLong(Long::longValue).sum() - replies)
                    .as("frames the responder ignored or dropped: %s", answered).isZero();
            assertThat(replies).as("the responder's answers = frames the guest sent").isEqualTo(sent);
            long received = stat.number("rx_packets");
            assertThat(received).as("frames the guest received = the responder's answers").isEqualTo(replies);
            assertThat(partner.deviceRx().frames()).as("frames the guest's device put into its ring = frames the guest received")
                    .isEqualTo(received);
            assertThat(partner.deviceRx().bytes()).as("bytes").isEqualTo(stat.number("rx_bytes"));
            assertThat(partner.txFrames()).as("frames the partner NetDevice sent = frames the guest received").isEqualTo(received);
            assertThat(partner.txBytes()).as("bytes").isEqualTo(stat.number("rx_bytes"));
            assertThat(partner.partnerTx().frames()).as("frames the partner device sent onto the cable").isEqualTo(received);
            assertThat(partner.partnerTx().bytes()).as("bytes").isEqualTo(stat.number("rx_bytes"));
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
            return guestOn(dir, "loopback");
        }

        /** Only vdpa0 (vhost_vdpa), its wire {@code link} (loopback, tap:<ifname>@<netns>). */
        static Home guestOn(Path dir, String link) {
            Home h = new Home(dir.resolve("home"), dir.resolve("run"));
            if (!java.nio.file.Files.isDirectory(h.home.resolve("deploy"))) {
                Busbar.deploy(h.home, "vdpa.sim.net-vdpa0.cfg",
                        nic("vdpa0", GUEST_MAC).replace("cable:c0", link) + "driver_override=vhost_vdpa\n");
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

        /** The responder answers ARP and echo requests on the partner for each of {@code cidrs} (e.g. 10.0.3.1/24). */
        void answer(List<String> cidrs) {
            busbar.awaitShell("net:addr", Pattern.compile("(?m)^" + Pattern.quote(name) + ":"), STEP);
            String out = busbar.shell(String.join("; ", cidrs.stream().map(c -> "net:addr " + name + " add " + c).toList()), STEP);
            assertThat(out).as("net:addr %s add ...", name).contains(cidrs.stream().map(c -> "inet " + c).toList());
        }

        /**
         * The partner NetDevice's totals (with its drops of every reason), the responder's
         * outcomes by word, and per queue pair the frames the guest's device (vdpa0) sent onto the
         * cable and took from it, and the partner device (vdpa1) took from it and sent onto it.
         */
        record Counters(long txFrames, long txBytes, long rxFrames, long rxBytes, long drops, Map<String, Long> answered,
                Vstat deviceTx, Vstat deviceRx, Vstat partnerRx, Vstat partnerTx) {}

        /** One direction of a device over both queue pairs; {@code perPair} frames by pair. */
        record Vstat(long frames, long bytes, long[] perPair) {}

        Counters counters() {
            String json = busbar.shell("net:link -j " + name, STEP);
            return new Counters(sum(json, "txFrames"), sum(json, "txBytes"), sum(json, "rxFrames"), sum(json, "rxBytes"),
                    drops(json), answered(), vstat("vdpa0", "tx"), vstat("vdpa0", "rx"), vstat("vdpa1", "rx"), vstat("vdpa1", "tx"));
        }

        /** The responder's counters on the partner, from {@code net:addr -j <partner>}: answered, ignored, drops. */
        Map<String, Long> answered() {
            Map<String, Long> counts = counterMap(busbar.shell("net:addr -j " + name, STEP), "answered");
            assertThat(counts).as("the responder's counters").containsKeys("arp_replies", "echo_replies", "ignored");
            return counts;
        }

        /** The first JSON object {@code "field":{"word":n,...}} of {@code json}, by word. */
        static Map<String, Long> counterMap(String json, String field) {
            Matcher block = Pattern.compile("\"" + field + "\":\\{([^}]*)}").matcher(json);
            assertThat(block.find()).as("%s in:\n%s", field, json).isTrue();
            Map<String, Long> counts = new LinkedHashMap<>();
            Matcher m = Pattern.compile("\"(\\w+)\":(\\d+)").matcher(block.group(1));
            while (m.find()) {
                counts.put(m.group(1), Long.parseLong(m.group(2)));
            }
            return counts;
        }

        /** Every drop of every queue in {@code net:link -j} ({@code "drops":{"reason":n,...}}). */
        private static long drops(String json) {
            Matcher block = Pattern.compile("\"drops\":\\{([^}]*)}").matcher(json);
            long total = 0;
            while (block.find()) {
                Matcher n = Pattern.compile(":(\\d+)").matcher(block.group(1));
                while (n.find()) {
                    total += Long.parseLong(n.group(1));
                }
            }
            return total;
        }

        Vstat vstat(String device, String direction) {
            return vstat(busbar, device, direction);
        }

        /** A direction's frames and bytes from {@code vdpa:dev vstats} (rx: queues 0 and 2, tx: 1 and 3). */
        static Vstat vstat(Busbar busbar, String device, String direction) {
            long[] frames = new long[2];
            long bytes = 0;
            for (int pair = 0; pair < 2; pair++) {
                int qidx = 2 * pair + (direction.equals("tx") ? 1 : 0);
                frames[pair] = vstat(busbar, device, qidx, direction + "_frames");
                bytes += vstat(busbar, device, qidx, direction + "_bytes");
            }
            return new Vstat(frames[0] + frames[1], bytes, frames);
        }

        long vstat(String device, int qidx, String stat) {
            return vstat(busbar, device, qidx, stat);
        }

        /** One counter of {@code vdpa:dev vstats show <device> qidx <qidx>}. */
        static long vstat(Busbar busbar, String device, int qidx, String stat) {
            String out = busbar.shell("vdpa:dev vstats show " + device + " qidx " + qidx, STEP);
            Matcher m = Pattern.compile(" name " + stat + " value (\\d+)").matcher(out);
            assertThat(m.find()).as("%s in:\n%s", stat, out).isTrue();
            return Long.parseLong(m.group(1));
        }

        /** The sum of every {@code field} of a JSON listing (a NetDevice's queues). */
        static long sum(String json, String field) {
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
