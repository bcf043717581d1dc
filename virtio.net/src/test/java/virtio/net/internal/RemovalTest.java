package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.net.internal.Harness.await;
import static virtio.net.internal.Harness.frame;
import static virtio.net.internal.Harness.seg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import virtio.net.api.DropReason;
import virtio.net.api.NetDeviceException;
import virtio.net.api.QueueStats;
import virtio.net.api.SendResult;

/** Remove: the NetDevice goes first, then the queues; afterwards nothing of ours touches the device. */
class RemovalTest {

    /** Whether a queue pair job of this interface is still in the driver's worker pool. */
    private static boolean workersAlive(Harness h, String name) {
        return h.driver.datapathJobs().stream().anyMatch(j -> j.startsWith("virtio_net " + name + " "));
    }

    @Test
    void theServiceIsWithdrawnBeforeTheDeviceIsReset() throws Exception {
        try (Harness h = Harness.standard()) {
            h.probe();
            int resets = h.device.resets();
            h.remove();
            assertThat(h.events).containsExactly("publish eth0",
                    "unregister eth0 resets=" + resets + " queues=true");
            assertThat(h.device.resets()).isEqualTo(resets + 1);
        }
    }

    @Test
    void afterRemoveNoThreadNoMemoryAndNoRingAccessRemain() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 2, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            assertThat(workersAlive(h, "eth0")).isTrue();
            for (int i = 0; i < 100; i++) {
                net.send(i % 2, seg(frame(100, i)));
            }
            h.remove();
            assertThat(workersAlive(h, "eth0")).isFalse();
            // every ring and buffer went back: the whole pool is one free range again
            h.device.pool.free(h.device.pool.allocate(h.device.pool.size(), 4096));
            // a late interrupt and every call on the stale NetDevice: no exception, no kick
            h.device.interrupt(0);
            h.device.interrupt(4);
            assertThat(net.send(0, seg(frame(60, 1)))).isEqualTo(SendResult.DOWN);
            assertThat(net.poll(0, (q, f) -> { }, 10)).isZero();
            assertThatThrownBy(() -> net.setPromiscuous(true)).isInstanceOf(NetDeviceException.class)
                    .satisfies(e -> assertThat(((NetDeviceException) e).reason()).isEqualTo(NetDeviceException.Reason.DOWN));
            assertThat(net.stats()).hasSize(2);
            Harness.assertNoViolations(h.device);
        }
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void removalUnderTrafficAccountsForEveryFrame(boolean packed) throws Exception {
        Harness h = new Harness(Harness.ALL | (packed ? Harness.PACKED : 0), 1500, 2, 32, Settings.DEFAULTS.withBacklog(64));
        try (h) {
            VirtioNet net = h.probe();
            AtomicLong handled = new AtomicLong();
            net.setReceiveHandler((q, f) -> handled.incrementAndGet());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong[] sent = {new AtomicLong(), new AtomicLong()};
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> senders = new ArrayList<>();
            for (int q = 0; q < 2; q++) {
                int queue = q;
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        int i = 0;
                        while (!stop.get()) {
                            SendResult r = net.send(queue, seg(frame(60 + i % 1000, i++)));
                            if (r == SendResult.SENT) {
                                sent[queue].incrementAndGet();
                            } else if (r == SendResult.DOWN) {
                                return;
                            }
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }));
            }
            await(() -> handled.get() > 2000, "traffic flowing");
            h.remove();
            stop.set(true);
            for (Thread t : senders) {
                t.join(10_000);
            }
            assertThat(errors).isEmpty();
            assertThat(workersAlive(h, "eth0")).isFalse();
            long received = 0;
            long rxDropped = 0;
            for (QueueStats s : net.stats()) {
                assertThat(s.txFrames() + s.drops().getOrDefault(DropReason.TX_ABORTED, 0L))
                        .as("queue %d: every accepted frame was sent or aborted", s.queue())
                        .isEqualTo(sent[s.queue()].get());
                received += s.rxFrames();
                rxDropped += s.rxDropped();
            }
            LoopbackDatapath dp = h.device.datapath;
            assertThat(received).isEqualTo(handled.get());
            assertThat(dp.txConsumed.get()).isEqualTo(net.stats().stream().mapToLong(QueueStats::txFrames).sum());
            assertThat(dp.rxDelivered.get()).as("every frame the device delivered was received or counted")
                    .isEqualTo(received + rxDropped);
            assertThat(dp.txConsumed.get()).isEqualTo(dp.rxDelivered.get() + dp.lostAtReset.get());
            Harness.assertNoViolations(h.device);
        }
    }

    @Test
    void framesWaitingInTheBacklogAtRemovalAreCountedAsAborted() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            for (int i = 0; i < 10; i++) {
                net.send(0, seg(frame(80, i)));
            }
            await(() -> h.device.datapath.rxDelivered.get() == 10, "device delivered 10");
            int[] polled = {0};
            await(() -> (polled[0] += net.poll(0, (q, f) -> { }, 3 - polled[0])) == 3, "three frames polled");
            // the other 7 are in the backlog or still in the used ring: both count as aborted
            h.remove();
            QueueStats s = net.stats().getFirst();
            assertThat(s.rxFrames()).isEqualTo(3);
            assertThat(s.drops()).containsEntry(DropReason.RX_ABORTED, 7L);
        }
    }
}
