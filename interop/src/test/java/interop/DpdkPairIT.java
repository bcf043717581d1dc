package interop;

import static org.assertj.core.api.Assertions.assertThat;

import interop.peer.Peers;
import interop.peer.PortStats;
import interop.peer.Testpmd;
import interop.peer.Testpmd.Forward;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPDK's virtio-user (frontend) sends, DPDK's vhost PMD (backend) receives: the pair busbar's
 * backend will later stand in for the vhost side of. Proves the testpmd launcher, both roles,
 * both listening sides, split and packed rings and two queue pairs on this machine, and that the
 * two sides' counters agree exactly once the sender stops.
 */
@ExtendWith(NoLeftovers.class)
class DpdkPairIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SEND = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @BeforeAll
    static void peers() {
        Peers.require(Peers.TESTPMD);
    }

    @Test
    void splitRingTxonlyToRxonlyCountsAgree() {
        txonlyToRxonly(false, 1, false);
    }

    @Test
    void packedRingTxonlyToRxonlyCountsAgree() {
        txonlyToRxonly(true, 1, false);
    }

    @Test
    void twoQueuePairsTxonlyToRxonlyCountsAgree() {
        txonlyToRxonly(false, 2, false);
    }

    /** The frontend listens (virtio-user server=1) and the backend connects (vhost client=1). */
    @Test
    void frontendListeningBackendConnectingCountsAgree() {
        txonlyToRxonly(false, 1, true);
    }

    private void txonlyToRxonly(boolean packed, int queues, boolean frontendListens) {
        Path socket = dir.resolve("vhost.sock");
        Testpmd.Builder backendSide = Testpmd.vhost(socket).queues(queues).lcores(0, 1).name("vhost-rxonly")
                .listen(!frontendListens);
        Testpmd.Builder frontendSide = Testpmd.virtioUser(socket).queues(queues).packed(packed).lcores(1, 0)
                .name("virtio-user-txonly").listen(frontendListens);
        Testpmd first = (frontendListens ? frontendSide : backendSide).start();
        try (first) {
            first.awaitListening(START);
            Testpmd second = (frontendListens ? backendSide : frontendSide).start();
            try (second) {
                Testpmd backend = frontendListens ? second : first;
                Testpmd frontend = frontendListens ? first : second;
                backend.awaitReady(START);
                frontend.awaitReady(START);
                backend.forward(Forward.RXONLY).startForwarding();
                frontend.forward(Forward.TXONLY).startForwarding();
                sleep(SEND);
                frontend.stopForwarding();

                PortStats sent = frontend.portStats(0);
                PortStats received = awaitReceived(backend, sent.txPackets(), Duration.ofSeconds(10));
                assertThat(sent.txPackets()).as("frames virtio-user sent in %s", SEND).isGreaterThan(10_000);
                assertThat(received.rxPackets()).as("frames the vhost PMD received").isEqualTo(sent.txPackets());
                assertThat(received.rxBytes()).as("bytes the vhost PMD received").isEqualTo(sent.txBytes());
                assertThat(received.rxErrors()).isZero();
            }
            assertThat(second.process().leftovers()).isEmpty();
        }
        assertThat(first.process().leftovers()).isEmpty();
        assertThat(socket).doesNotExist();
    }

    /** The receiver keeps polling after the sender stopped: wait until what is in flight has landed. */
    private static PortStats awaitReceived(Testpmd receiver, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        PortStats stats = receiver.portStats(0);
        while (stats.rxPackets() < expected && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
            stats = receiver.portStats(0);
        }
        return stats;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
