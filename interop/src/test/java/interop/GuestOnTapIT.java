package interop;

import static org.assertj.core.api.Assertions.assertThat;

import interop.GuestOnBusbarIT.Home;
import interop.GuestOnBusbarIT.Partner;
import interop.GuestOnBusbarIT.Partner.Vstat;
import interop.peer.Busbar;
import interop.peer.GuestEvent;
import interop.peer.GuestImage;
import interop.peer.GuestReport;
import interop.peer.Peers;
import interop.peer.Qemu;
import interop.peer.Qemu.VhostUserNic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import linux.ffm.testing.TestNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest pings the host kernel through busbar: its vhost-user NIC is vdpa0 (vhost_vdpa), whose
 * wire is a TAP link ({@code tap:<ifname>@<netns>}) into a network namespace this test makes. The
 * runtime's link opens the TAP inside the namespace; the test gives it 10.0.3.1/24 there, and the namespace's kernel answers the guest's ARP and echo requests. Every
 * frame is counted at each hop, both ways: the guest's kernel, vdpa0's vstats, the TAP link's own
 * counters ({@code vdpasim:show -j}) and the TAP interface's counters inside the namespace, and
 * they agree exactly. 10.0.3.0/24 exists only in the guest and in that namespace, which goes with
 * everything in it when the test ends, passed or failed.
 */
@ExtendWith(NoLeftovers.class)
class GuestOnTapIT {

    static final String TAP = "bbguest0";
    static final String HOST_IP = "10.0.3.1";

    private static GuestImage image;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildGuest() {
        Peers.require(Peers.QEMU, Peers.GUEST_BUILD, Peers.IPROUTE);
        image = GuestImage.buildDefault();
    }

    @Test
    void guestPingsTheKernelOfANamespaceThroughATapLinkCountedAtEveryHop() {
        try (TestNamespace ns = TestNamespace.create("guest-tap")) {
            Home home = Home.guestOn(dir, "tap:" + TAP + "@" + ns.name);
            try (Busbar busbar = home.start("busbar-tap")) {
                busbar.awaitShell("vhost:show vdpa0", Pattern.compile("server listening"), GuestOnBusbarIT.STEP);
                awaitDevice(ns, TAP, GuestOnBusbarIT.STEP);
                // no IPv6 address on the TAP: the namespace's kernel sends nothing the test did not cause
                ns.exec("ip", "link", "set", "dev", TAP, "addrgenmode", "none");
                ns.exec("ip", "addr", "add", HOST_IP + "/24", "dev", TAP);
                ns.exec("ip", "link", "set", "dev", TAP, "up");

                Qemu qemu = Qemu.guest(image).nic(VhostUserNic.connect(home.socket()).mac(GuestOnBusbarIT.GUEST_MAC))
                        .ip(GuestOnBusbarIT.GUEST_IP).script(GuestOnBusbarIT.pingThenBulk(HOST_IP, 200))
                        .lifetime(GuestOnBusbarIT.GUEST).name("guest-tap").start();
                GuestReport report;
                try (qemu) {
                    report = qemu.awaitExit(GuestOnBusbarIT.GUEST);
                } finally {
                    assertThat(qemu.process().leftovers()).isEmpty();
                }
                assertThat(report.errors()).as("errors the guest reported").isEmpty();
                assertThat(report.exitCode()).as("the guest's script").isZero();
                GuestOnBusbarIT.assertEveryEchoAnswered(report, 3, 200);
                assertCountersAgree(report, busbar, ns);
            }
        }
    }

    /**
     * The guest is off, so every count is final: what it sent went onto vdpa0's wire, was written
     * to the TAP and received by the namespace's kernel; what that kernel sent out of the TAP was
     * read by the link, put into the guest's ring and received by the guest. Nothing was dropped
     * at any hop.
     */
    private static void assertCountersAgree(GuestReport report, Busbar busbar, TestNamespace ns) {
        GuestEvent stat = report.stat();
        assertThat(stat.value("settled")).as("the guest's counters stopped moving").isEqualTo("yes");
        long sent = stat.number("tx_packets");
        long sentBytes = stat.number("tx_bytes");
        long received = stat.number("rx_packets");
        long receivedBytes = stat.number("rx_bytes");
        assertThat(sent).as("frames the guest sent").isGreaterThanOrEqualTo(203);
        assertThat(received).as("frames the guest received").isGreaterThanOrEqualTo(203);

        Vstat deviceTx = Partner.vstat(busbar, "vdpa0", "tx");
        Vstat deviceRx = Partner.vstat(busbar, "vdpa0", "rx");
        Map<String, Long> link = Partner.counterMap(busbar.shell("vdpasim:show -j", GuestOnBusbarIT.STEP), "linkCounters");
        assertThat(deviceTx.frames()).as("frames vdpa0 put on its wire = frames the guest sent").isEqualTo(sent);
        assertThat(deviceTx.bytes()).as("bytes").isEqualTo(sentBytes);
        assertThat(link.get("tap_to_host_frames")).as("frames the link wrote to the TAP").isEqualTo(sent);
        assertThat(link.get("tap_to_host_bytes")).as("bytes").isEqualTo(sentBytes);
        assertThat(counter(ns, "rx_packets")).as("frames the namespace's kernel received on the TAP").isEqualTo(sent);
        assertThat(counter(ns, "rx_bytes")).as("bytes").isEqualTo(sentBytes);

        assertThat(counter(ns, "tx_packets")).as("frames the namespace's kernel sent out of the TAP = frames the guest received")
                .isEqualTo(received);
        assertThat(counter(ns, "tx_bytes")).as("bytes").isEqualTo(receivedBytes);
        assertThat(link.get("tap_from_host_frames")).as("frames the link read from the TAP").isEqualTo(received);
        assertThat(link.get("tap_from_host_bytes")).as("bytes").isEqualTo(receivedBytes);
        assertThat(deviceRx.frames()).as("frames vdpa0 put into the guest's ring").isEqualTo(received);
        assertThat(deviceRx.bytes()).as("bytes").isEqualTo(receivedBytes);

        link.forEach((word, n) -> {
            if (word.contains("_drop_")) {
                assertThat(n).as("%s of the link", word).isZero();
            }
        });
        for (String drop : List.of("rx_dropped", "tx_dropped", "rx_errors", "tx_errors")) {
            assertThat(counter(ns, drop)).as("%s of the TAP in the namespace", drop).isZero();
        }
    }

    /** One of the TAP's counters as the namespace's kernel keeps them (/sys/class/net/TAP/statistics inside it). */
    private static long counter(TestNamespace ns, String counter) {
        return Long.parseLong(ns.exec("cat", "/sys/class/net/" + TAP + "/statistics/" + counter).strip());
    }

    /** Waits until the runtime's link made {@code device} inside {@code ns}. */
    private static void awaitDevice(TestNamespace ns, String device, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ns.execStatus("ip", "link", "show", "dev", device) != 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no " + device + " in namespace " + ns.name + " after " + timeout.toSeconds()
                        + " s: " + ns.exec("ip", "-o", "link", "show"));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + device, e);
            }
        }
    }
}
