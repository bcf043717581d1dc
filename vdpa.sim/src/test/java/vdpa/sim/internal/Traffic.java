package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/**
 * One direction of traffic on one queue pair, driven by the test thread without blocking:
 * numbered frames of mixed sizes (60 to 1514 bytes) sent as fast as the TX ring takes them, and
 * checked, in order and byte for byte, as they arrive.
 */
final class Traffic {

    final TestDriver from;
    final TestDriver to;
    final int pair;
    final int total;
    private final long dst;
    private final long src;
    int sent;
    int reaped;
    int received;
    /** Times the TX ring refused a frame: back-pressure seen by the sender. */
    int refused;
    long bytes;

    Traffic(TestDriver from, long src, TestDriver to, long dst, int pair, int total) {
        this.from = from;
        this.to = to;
        this.src = src;
        this.dst = dst;
        this.pair = pair;
        this.total = total;
    }

    int length(int seq) {
        return 60 + (seq * 37 + pair * 101) % (1514 - 59);
    }

    byte[] frame(int seq) {
        return TestDriver.frame(dst, src, length(seq), seq);
    }

    /** Sends until the ring refuses or all are sent, and frees what came back; returns how much moved. */
    int send() {
        int moved = 0;
        while (sent < total) {
            if (!from.trySend(pair, frame(sent))) {
                refused++;
                break;
            }
            bytes += length(sent);
            sent++;
            moved++;
        }
        int back = from.reapTx(pair);
        reaped += back;
        return moved + back;
    }

    /** Checks the frames that arrived; with {@code repost} gives each one's buffer back. Returns how many. */
    int receive(boolean repost) {
        List<TestDriver.Frame> got = to.poll(pair);
        for (TestDriver.Frame f : got) {
            assertThat(f.bytes()).as("frame %d on pair %d", received, pair).isEqualTo(frame(received));
            received++;
        }
        if (repost && !got.isEmpty()) {
            to.postRx(pair, got.size(), 2048);
        }
        return got.size();
    }

    boolean done() {
        return received == total && reaped == total;
    }

    @Override
    public String toString() {
        return "pair " + pair + ": sent " + sent + ", reaped " + reaped + ", received " + received + " of " + total;
    }

    /** Every drop counter of a queue's snapshot is zero. */
    static void assertNoDrops(Map<String, Long> stats) {
        stats.forEach((k, v) -> {
            if (k.contains("_drop_")) {
                assertThat(v).as(k).isZero();
            }
        });
    }
}
