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
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vhost-user path over the hardware driver: an emulated virtio-pci function (pci.emul) that
 * vp_vdpa binds, a vDPA device added on its management device {@code pci/<slot>} and handed to
 * vhost_vdpa, served to an unmodified Linux guest in QEMU. The device keeps the vDPA contract by
 * register access only (no queue state, DMA by dma_map), so this is the bridge on the same terms
 * as on real hardware. The function's wire is a cable to a simulated NIC bound to virtio_net, whose
 * NetDevice answers the guest's pings (net.responder); what the guest counts agrees with what the
 * partner's device and NetDevice count.
 */
@ExtendWith(NoLeftovers.class)
class GuestOnPciVdpaIT {

    static final String SLOT = "0000:00:04.0";
    static final String GUEST_MAC = GuestOnBusbarIT.GUEST_MAC;
    static final String PEER_MAC = GuestOnBusbarIT.PEER_MAC;
    static final Duration STEP = GuestOnBusbarIT.STEP;
    static final int PINGS = 5;

    private static GuestImage image;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildGuest() {
        Peers.require(Peers.QEMU, Peers.GUEST_BUILD);
        image = GuestImage.buildDefault();
    }

    @Test
    void guestPingsAcrossAVirtioPciFunctionServedByVhostVdpaCountsAgree() {
        Path home = dir.resolve("home");
        Path runtimeDir = dir.resolve("run");
        // the function's model on cable c0, in place of the runtime's default function at the same slot
        Busbar.deploy(home, "pci.emul.net-slot4.cfg", "slot=" + SLOT + "\nmac=" + GUEST_MAC + "\nmtu=1500\nmax_vqp=1\nlink=cable:c0\n");
        Busbar.deploy(home, "vdpa.sim.net-vdpa1.cfg", "name=vdpa1\nmac=" + PEER_MAC + "\nmtu=1500\nmax_vqp=2\nlink=cable:c0\n");
        try (Busbar busbar = Busbar.start("busbar", home, runtimeDir, GuestOnBusbarIT.RUNTIME)) {
            busbar.awaitShell("vdpa:mgmtdev show", Pattern.compile("pci/" + Pattern.quote(SLOT)), STEP);
            busbar.shell("vdpa:dev add name vdpa0 mgmtdev pci/" + SLOT, STEP);
            busbar.shell("bus:override vdpa vdpa0 vhost_vdpa", STEP);
            busbar.awaitShell("vhost:show vdpa0", Pattern.compile("server listening"), STEP);
            String show = busbar.shell("vhost:show vdpa0", STEP);
            assertThat(show).as("the function cannot report queue state").contains("queue state: not reported by the device");
            GuestOnBusbarIT.Partner partner = GuestOnBusbarIT.Partner.await(busbar);
            busbar.shell("net:addr " + partner.name() + " " + GuestOnBusbarIT.PEER_IP + "/24", STEP);

            String script = "busbar_ping " + GuestOnBusbarIT.PEER_IP + " " + PINGS + " -i 0.2 -W 2\nexit 0";
            Qemu qemu = Qemu.guest(image).nic(VhostUserNic.connect(Busbar.socket(runtimeDir, "vdpa0")).mac(GUEST_MAC))
                    .ip(GuestOnBusbarIT.GUEST_IP).script(script).lifetime(GuestOnBusbarIT.GUEST).name("guest").start();
            GuestReport report;
            try (qemu) {
                report = qemu.awaitExit(GuestOnBusbarIT.GUEST);
            } finally {
                assertThat(qemu.process().leftovers()).isEmpty();
            }
            assertThat(report.errors()).as("errors the guest reported").isEmpty();
            assertThat(report.exitCode()).as("the guest's script").isZero();
            assertThat(report.event("ready")).as("eth0 came up").isNotNull();
            assertThat(report.event("ping").number("received")).as("echo replies from the partner's responder").isEqualTo(PINGS);

            GuestEvent stat = report.stat();
            assertThat(stat.value("settled")).as("the guest's counters stopped moving").isEqualTo("yes");
            long sent = stat.number("tx_packets");
            long received = stat.number("rx_packets");
            assertThat(sent).isGreaterThanOrEqualTo(PINGS);
            GuestOnBusbarIT.Partner.Vstat partnerRx = partner.vstat("vdpa1", "rx");
            assertThat(partnerRx.frames()).as("frames the partner device took from the cable = frames the guest sent").isEqualTo(sent);
            assertThat(partnerRx.bytes()).as("bytes").isEqualTo(stat.number("tx_bytes"));
            String link = busbar.shell("net:link -j " + partner.name(), STEP);
            assertThat(GuestOnBusbarIT.Partner.sum(link, "txFrames")).as("frames the partner NetDevice sent = frames the guest received").isEqualTo(received);
            assertThat(GuestOnBusbarIT.Partner.sum(link, "txBytes")).as("bytes").isEqualTo(stat.number("rx_bytes"));
            assertThat(busbar.shell("vhost:show vdpa0", STEP)).as("the guest's session ended cleanly").contains("server listening")
                    .doesNotContain("protocol errors");
        }
    }
}
