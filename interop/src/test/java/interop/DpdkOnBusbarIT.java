package interop;

import static org.assertj.core.api.Assertions.assertThat;

import interop.GuestOnBusbarIT.Home;
import interop.GuestOnBusbarIT.Partner;
import interop.peer.Busbar;
import interop.peer.Peers;
import interop.peer.PortStats;
import interop.peer.Testpmd;
import interop.peer.Testpmd.Forward;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPDK's virtio-user (dpdk-testpmd) on the runtime jar's vhost-user socket: vdpa0 (vhost_vdpa) is
 * cabled to vdpa1, whose NetDevice sends with {@code net:pktgen} when testpmd is to receive. txonly,
 * rxonly and io forwarding, split and packed rings; every count agrees exactly once the sender is
 * done: testpmd's port statistics, both devices' vstats, the generator's.
 */
@ExtendWith(NoLeftovers.class)
class DpdkOnBusbarIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final int FRAMES = 20_000;

    @TempDir
    Path dir;

    @BeforeAll
    static void peers() {
        Peers.require(Peers.TESTPMD);
    }

    @Test
    void txonlySplitRingEveryFrameCrossesTheCable() {
        txonly(false);
    }

    @Test
    void txonlyPackedRingEveryFrameCrossesTheCable() {
        txonly(true);
    }

    @Test
    void rxonlySplitRingTakesEveryFrameTheGeneratorSent() {
        rxonly(false);
    }

    @Test
    void rxonlyPackedRingTakesEveryFrameTheGeneratorSent() {
        rxonly(true);
    }

    @Test
    void ioForwardSplitRingSendsEveryFrameBack() {
        io(false);
    }

    @Test
    void ioForwardPackedRingSendsEveryFrameBack() {
        io(true);
    }

    private void txonly(boolean packed) {
        try (Busbar busbar = Home.twoNicsOnACable(dir).start("busbar"); Testpmd testpmd = testpmd(busbar, packed, Forward.TXONLY)) {
            Partner partner = Partner.await(busbar);
            testpmd.startForwarding();
            DpdkPairIT.sleep(Duration.ofSeconds(2));
            testpmd.stopForwarding();
            PortStats sent = testpmd.portStats(0);
            assertThat(sent.txPackets()).as("frames testpmd sent").isGreaterThan(1000);
            // the device drains what testpmd left in its TX ring after it stopped
            settle(() -> partner.vstat("vdpa0", "tx").frames(), sent.txPackets());
            Partner.Vstat deviceTx = partner.vstat("vdpa0", "tx");
            assertThat(deviceTx.frames()).as("frames the device took from testpmd's ring").isEqualTo(sent.txPackets());
            assertThat(deviceTx.bytes()).as("bytes").isEqualTo(sent.txBytes());
            Partner.Vstat partnerRx = partner.vstat("vdpa1", "rx");
            long notReady = partner.vstat("vdpa1", 0, "rx_drop_not_ready") + partner.vstat("vdpa1", 2, "rx_drop_not_ready");
            assertThat(partnerRx.frames() + notReady).as("frames the partner took or counted as dropped").isEqualTo(sent.txPackets());
        }
    }

    private void rxonly(boolean packed) {
        try (Busbar busbar = Home.twoNicsOnACable(dir).start("busbar"); Testpmd testpmd = testpmd(busbar, packed, Forward.RXONLY)) {
            Partner partner = Partner.await(busbar);
            testpmd.startForwarding();
            long generated = pktgen(busbar, partner);
            assertThat(partner.vstat("vdpa1", "tx").frames()).as("frames the partner device sent").isEqualTo(generated);
            settle(() -> testpmd.portStats(0).rxPackets(), generated);
            PortStats received = testpmd.portStats(0);
            Partner.Vstat deviceRx = partner.vstat("vdpa0", "rx");
            assertThat(deviceRx.frames()).as("frames the device put into testpmd's ring").isEqualTo(generated);
            assertThat(received.rxPackets()).as("frames testpmd received").isEqualTo(generated);
            assertThat(received.rxBytes()).as("bytes").isEqualTo(deviceRx.bytes());
        }
    }

    private void io(boolean packed) {
        try (Busbar busbar = Home.twoNicsOnACable(dir).start("busbar"); Testpmd testpmd = testpmd(busbar, packed, Forward.IO)) {
            Partner partner = Partner.await(busbar);
            testpmd.startForwarding();
            long generated = pktgen(busbar, partner);
            settle(() -> testpmd.portStats(0).rxPackets(), generated);
            PortStats stats = testpmd.portStats(0);
            assertThat(stats.rxPackets()).as("frames testpmd received").isEqualTo(generated);
            assertThat(partner.vstat("vdpa0", "rx").frames()).as("the device's frames into testpmd").isEqualTo(generated);
            // the io engine frees what one TX burst could not place in a full ring (its TX-dropped):
            // what it did send is counted exactly from there on
            assertThat(stats.txPackets()).as("frames testpmd sent back").isPositive().isLessThanOrEqualTo(generated);
            settle(() -> partner.vstat("vdpa1", "rx").frames(), stats.txPackets());
            Partner.Vstat deviceTx = partner.vstat("vdpa0", "tx");
            assertThat(deviceTx.frames()).as("the device's frames from testpmd").isEqualTo(stats.txPackets());
            assertThat(deviceTx.bytes()).as("bytes").isEqualTo(stats.txBytes());
            assertThat(partner.vstat("vdpa1", "rx").frames()).as("frames back at the partner").isEqualTo(stats.txPackets());
            assertThat(partner.vstat("vdpa1", "rx").bytes()).as("bytes").isEqualTo(stats.txBytes());
        }
    }

    /** testpmd as virtio-user on vdpa0's socket, ready, in {@code mode}, connected as vhost:show shows. */
    private static Testpmd testpmd(Busbar busbar, boolean packed, Forward mode) {
        busbar.awaitShell("vhost:show vdpa0", Pattern.compile("server listening"), GuestOnBusbarIT.STEP);
        Testpmd testpmd = Testpmd.virtioUser(busbar.socket("vdpa0")).packed(packed)
                .name("virtio-user-" + mode.name().toLowerCase() + (packed ? "-packed" : "")).start();
        try {
            testpmd.awaitReady(START).forward(mode);
            busbar.awaitShell("vhost:show vdpa0", Pattern.compile("connected frontend pid " + testpmd.process().pid()),
                    GuestOnBusbarIT.STEP);
            return testpmd;
        } catch (RuntimeException | AssertionError e) {
            testpmd.close();
            throw e;
        }
    }

    /** {@value #FRAMES} broadcast frames from the partner NetDevice; returns how many it sent (none dropped). */
    private static long pktgen(Busbar busbar, Partner partner) {
        busbar.shell("net:pktgen " + partner.name() + " count " + FRAMES + " size 64 rate 20000", GuestOnBusbarIT.STEP);
        Matcher done = busbar.awaitShell("net:pktgen " + partner.name() + " show",
                Pattern.compile("(?m)^" + partner.name() + "\\s+done\\s+\\d+\\s+\\d+\\s+\\S+\\s+\\d+\\s+\\d+\\s+(\\d+)\\s+(\\d+)"),
                Duration.ofSeconds(30));
        assertThat(Long.parseLong(done.group(2))).as("frames the generator dropped").isZero();
        long sent = Long.parseLong(done.group(1));
        assertThat(sent).isEqualTo(FRAMES);
        return sent;
    }

    /** Waits (bounded) until {@code count} reaches {@code expected}: frames in flight land. */
    private static void settle(LongSupplier count, long expected) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (count.getAsLong() < expected && System.nanoTime() < deadline) {
            DpdkPairIT.sleep(Duration.ofMillis(200));
        }
    }
}
