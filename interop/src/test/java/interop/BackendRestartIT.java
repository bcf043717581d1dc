package interop;

import static org.assertj.core.api.Assertions.assertThat;

import interop.GuestOnBusbarIT.Home;
import interop.peer.Busbar;
import interop.peer.GuestEvent;
import interop.peer.GuestImage;
import interop.peer.GuestReport;
import interop.peer.Peers;
import interop.peer.Qemu;
import interop.peer.Qemu.VhostUserNic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend restarted under a running guest, QEMU reconnecting (reconnect=1): the vhost.uapi
 * bundle stopped and started in the running runtime, uninstalled and its jar installed again, and
 * the whole runtime killed by its pid and started again on the same home. The guest's device vdpa0 is on a loopback, so a frame the guest
 * sends comes back to it only through busbar's datapath: the guest sends one echo request a second
 * (to an address whose neighbour entry is its own MAC) until a frame comes back, before the
 * restart and after it, without a reboot, and reports when traffic came back.
 */
@ExtendWith(NoLeftovers.class)
class BackendRestartIT {

    /** The system property naming vhost.uapi's jar, which a test installs into the running runtime. */
    static final String VHOST_UAPI_JAR = "busbar.vhost.uapi.jar";

    /** How long the guest tries for a frame to come back, in one-second attempts. */
    private static final int ATTEMPTS = 60;

    private static final String SCRIPT = """
            arp -i eth0 -s 10.0.3.1 %s || exit 1
            rx() { cat /sys/class/net/eth0/statistics/rx_packets; }
            now() { cut -d' ' -f1 /proc/uptime; }
            comes_back() {
                before=$(rx) i=0
                while [ $i -lt %d ]; do
                    ping -c 1 -W 1 10.0.3.1 >/dev/null
                    [ "$(rx)" -gt "$before" ] && return 0
                    i=$((i + 1))
                done
                return 1
            }
            comes_back || { error first no_frame_came_back; exit 1; }
            say "traffic at=$(now)"
            read restarted
            from=$(now)
            comes_back || { error recovery no_frame_came_back_after_the_restart; exit 1; }
            say "recovered from=$from at=$(now)"
            exit 0
            """.formatted(GuestOnBusbarIT.GUEST_MAC, ATTEMPTS);

    private static GuestImage image;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildGuest() {
        Peers.require(Peers.QEMU, Peers.GUEST_BUILD);
        image = GuestImage.buildDefault();
    }

    @Test
    void guestRecoversAfterTheBridgeBundleStopsAndStarts() {
        restart("the bridge's bundle stopped and started", busbar -> {
            String id = bridgeBundle(busbar);
            busbar.shell("stop " + id, GuestOnBusbarIT.STEP);
            assertThat(busbar.shell("vhost:show", GuestOnBusbarIT.STEP)).as("no bridge while stopped").contains("Command not found: vhost:show");
            busbar.shell("start " + id, GuestOnBusbarIT.STEP);
            return busbar;
        });
    }

    /** The id of the active vhost.uapi bundle, from {@code lb -s}. */
    private static String bridgeBundle(Busbar busbar) {
        String lb = busbar.shell("lb -s", GuestOnBusbarIT.STEP);
        Matcher id = Pattern.compile("(?m)^\\s*(\\d+)\\|Active\\s*\\|.*\\|vhost\\.uapi").matcher(lb);
        assertThat(id.find()).as("vhost.uapi active in lb -s:\n%s", lb).isTrue();
        return id.group(1);
    }

    /**
     * The bridge's bundle uninstalled from the running runtime and its jar installed again and
     * started, through the runtime's shell: the new bundle's vhost_vdpa binds vdpa0 again (its
     * driver_override still names it) and serves the socket QEMU reconnects to.
     */
    @Test
    void guestRecoversAfterTheBridgeBundleIsUninstalledAndInstalledAgain() {
        String jar = System.getProperty(VHOST_UAPI_JAR);
        assertThat(jar).as("the vhost.uapi jar (%s; the interop module's failsafe sets it)", VHOST_UAPI_JAR).isNotNull();
        assertThat(Path.of(jar)).as("the vhost.uapi jar: build the vhost.uapi module first").isRegularFile();
        restart("the bridge's bundle uninstalled and installed again", busbar -> {
            String id = bridgeBundle(busbar);
            busbar.shell("uninstall " + id, GuestOnBusbarIT.STEP);
            assertThat(busbar.shell("lb -s", GuestOnBusbarIT.STEP)).as("the bridge uninstalled").doesNotContain("vhost.uapi");
            assertThat(busbar.shell("vhost:show", GuestOnBusbarIT.STEP)).as("no bridge once uninstalled").contains("Command not found: vhost:show");
            Matcher installed = Pattern.compile("Bundle ID: (\\d+)").matcher(
                    busbar.shell("install " + Path.of(jar).toAbsolutePath().toUri(), GuestOnBusbarIT.STEP));
            assertThat(installed.find()).as("the new bundle's id").isTrue();
            assertThat(installed.group(1)).as("a new bundle, not the old one").isNotEqualTo(id);
            busbar.shell("start " + installed.group(1), GuestOnBusbarIT.STEP);
            assertThat(bridgeBundle(busbar)).isEqualTo(installed.group(1));
            return busbar;
        });
    }

    @Test
    void guestRecoversAfterTheRuntimeIsKilledAndStartedAgain() {
        Home home = Home.guestOnLoopback(dir);
        restart("the runtime killed and started again", busbar -> {
            busbar.close(); // SIGKILL by its pid: no goodbye to QEMU, the socket file stays
            assertThat(busbar.process().isAlive()).isFalse();
            return home.start("busbar-again");
        });
    }

    /**
     * Boots the guest, waits for its first round trip, restarts the backend with {@code how}, waits
     * for recovery and prints how long it took after {@code what}.
     */
    private void restart(String what, UnaryOperator<Busbar> how) {
        Home home = Home.guestOnLoopback(dir);
        Busbar busbar = home.start("busbar");
        try {
            busbar.awaitShell("vhost:show vdpa0", Pattern.compile("server listening"), GuestOnBusbarIT.STEP);
            Qemu qemu = Qemu.guest(image).nic(VhostUserNic.connect(home.socket()).mac(GuestOnBusbarIT.GUEST_MAC))
                    .ip(GuestOnBusbarIT.GUEST_IP).script(SCRIPT).lifetime(GuestOnBusbarIT.GUEST).name("guest-restart").start();
            try (qemu) {
                int mark = qemu.process().mark();
                qemu.await(mark, "traffic", Duration.ofSeconds(90));
                busbar = how.apply(busbar);
                qemu.type("restarted");
                GuestEvent recovered = qemu.await(mark, "recovered", Duration.ofSeconds(ATTEMPTS + 30));
                double seconds = Double.parseDouble(recovered.value("at")) - Double.parseDouble(recovered.value("from"));
                System.out.printf("%s: the guest's traffic came back %.2f s after %s%n", qemu.process().name(), seconds, what);
                busbar.awaitShell("vhost:show vdpa0", Pattern.compile("connected frontend pid " + qemu.process().pid()),
                        GuestOnBusbarIT.STEP);
                GuestReport report = qemu.awaitExit(GuestOnBusbarIT.GUEST);
                assertThat(report.errors()).as("errors the guest reported").isEmpty();
                assertThat(report.exitCode()).isZero();
                assertThat(report.stat().number("rx_packets")).as("frames that came back, before and after").isGreaterThanOrEqualTo(2);
            } finally {
                assertThat(qemu.process().leftovers()).isEmpty();
            }
        } finally {
            busbar.close();
        }
    }
}
