package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.net.internal.Harness.await;
import static virtio.net.internal.Harness.frame;
import static virtio.net.internal.Harness.seg;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import virtio.net.api.DropReason;
import virtio.net.api.FrameHandler;
import virtio.net.api.QueueStats;
import virtio.net.api.SendResult;

/** Frames through the driver and the loopback device: intact, in order, counted, in every ring layout. */
class DatapathTest {

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of("split", 0L, false),
                Arguments.of("split", 0L, true),
                Arguments.of("packed", Harness.PACKED, false),
                Arguments.of("packed", Harness.PACKED, true));
    }

    /** Collects copies of received frames. */
    static final class Collector implements FrameHandler {
        final List<byte[]> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Integer> queues = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void frame(int queue, java.lang.foreign.MemorySegment frame) {
            assertThat(frame.isReadOnly()).isTrue();
            frames.add(frame.toArray(ValueLayout.JAVA_BYTE));
            queues.add(queue);
        }
    }

    @ParameterizedTest(name = "{0} mergeable={2}")
    @MethodSource("layouts")
    void mixedSizesComeBackIntactAndInOrder(String layout, long packed, boolean mergeable) throws Exception {
        long features = (Harness.ALL & ~(mergeable ? 0 : Harness.MRG)) | packed;
        try (Harness h = new Harness(features, 1500, 1, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            Collector rx = new Collector();
            net.setReceiveHandler(rx);
            Random random = new Random(42);
            List<byte[]> sent = new ArrayList<>();
            long bytes = 0;
            for (int seq = 0; seq < 2000; seq++) {
                int len = seq % 7 == 0 ? net.maxFrameLength() : 60 + random.nextInt(net.maxFrameLength() - 59);
                byte[] f = frame(len, seq);
                while (net.send(0, seg(f)) == SendResult.BUSY) {
                    Thread.onSpinWait(); // back-pressure: retry until the device used some
                }
                sent.add(f);
                bytes += len;
            }
            await(() -> rx.frames.size() == sent.size(), "all frames received");
            for (int i = 0; i < sent.size(); i++) {
                assertThat(rx.frames.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
            }
            long total = bytes;
            await(() -> net.stats().getFirst().txFrames() == sent.size(), "TX completions reclaimed");
            QueueStats s = net.stats().getFirst();
            assertThat(s.rxFrames()).isEqualTo(sent.size());
            assertThat(s.rxBytes()).isEqualTo(total);
            assertThat(s.txBytes()).isEqualTo(total);
            assertThat(s.drops()).isEmpty();
            Harness.assertNoViolations(h.device);
        }
    }

    static Stream<Arguments> rings() {
        return Stream.of(Arguments.of("split", 0L), Arguments.of("packed", Harness.PACKED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rings")
    void smallMergeableBuffersAreReassembled(String layout, long packed) throws Exception {
        try (Harness h = new Harness(Harness.ALL | packed, 9000, 1, 128, Settings.DEFAULTS.withMergeBufferSize(256))) {
            VirtioNet net = h.probe();
            Collector rx = new Collector();
            net.setReceiveHandler(rx);
            int[] sizes = {60, 244, 245, 256, 500, 1514, 4000, 9014};
            for (int i = 0; i < sizes.length; i++) {
                assertThat(net.send(0, seg(frame(sizes[i], i)))).isEqualTo(SendResult.SENT);
            }
            await(() -> rx.frames.size() == sizes.length, "all frames received");
            for (int i = 0; i < sizes.length; i++) {
                assertThat(rx.frames.get(i)).isEqualTo(frame(sizes[i], i));
            }
            // 9014 + 12 bytes over 256-byte buffers
            assertThat(h.device.datapath.maxBuffersPerFrame).isEqualTo((9014 + 12 + 255) / 256);
            assertThat(net.stats().getFirst().drops()).isEmpty();
        }
    }

    @Test
    void withoutAHandlerFramesWaitForPollInOrderAndAFullBacklogCountsDrops() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 1, 64, Settings.DEFAULTS.withBacklog(8))) {
            VirtioNet net = h.probe();
            for (int seq = 0; seq < 12; seq++) {
                assertThat(net.send(0, seg(frame(100, seq)))).isEqualTo(SendResult.SENT);
            }
            await(() -> h.device.datapath.rxDelivered.get() == 12, "device delivered 12");
            await(() -> net.stats().getFirst().drops().getOrDefault(DropReason.RX_BACKLOG_FULL, 0L) == 4,
                    "4 frames over the backlog counted");
            Collector got = new Collector();
            assertThat(net.poll(0, got, 5)).isEqualTo(5);
            assertThat(net.poll(0, got, 100)).isEqualTo(3);
            assertThat(net.poll(0, got, 100)).isZero();
            for (int i = 0; i < 8; i++) {
                assertThat(Harness.seqOf(got.frames.get(i))).isEqualTo(i);
                assertThat(got.frames.get(i)).isEqualTo(frame(100, i));
            }
            QueueStats s = net.stats().getFirst();
            assertThat(s.rxFrames()).isEqualTo(8);
            assertThat(s.rxDropped()).isEqualTo(4);
        }
    }

    @Test
    void aThrowingHandlerCountsTheFrameAsDroppedAndKeepsTheQueueGoing() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            Collector ok = new Collector();
            net.setReceiveHandler((q, f) -> {
                if (f.byteSize() == 61) {
                    throw new IllegalStateException("handler bug");
                }
                if (f.byteSize() == 63) {
                    throw new AssertionError("an Error from a handler is counted too");
                }
                ok.frame(q, f);
            });
            net.send(0, seg(frame(61, 0)));
            net.send(0, seg(frame(63, 2)));
            net.send(0, seg(frame(62, 1)));
            await(() -> ok.frames.size() == 1, "the last frame arrives");
            // the counters move after the handler returns: wait for them, then check exactly
            await(() -> net.stats().getFirst().rxFrames() == 1, "the delivered frame is counted");
            QueueStats s = net.stats().getFirst();
            assertThat(s.drops()).containsEntry(DropReason.RX_HANDLER_ERROR, 2L);
            assertThat(s.rxFrames()).isEqualTo(1);
        }
    }

    @Test
    void framesOfWrongLengthAreRefusedAndCounted() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            assertThat(net.send(0, seg(new byte[13]))).isEqualTo(SendResult.INVALID_LENGTH);
            assertThat(net.send(0, seg(new byte[1515]))).isEqualTo(SendResult.INVALID_LENGTH);
            assertThat(net.send(0, seg(frame(1514, 0)))).isEqualTo(SendResult.SENT);
            assertThat(net.stats().getFirst().txInvalid()).isEqualTo(2);
        }
    }

    @Test
    void sendingFromManyThreadsLosesNothing() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 1, 32, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
            net.setReceiveHandler((q, f) -> received.incrementAndGet());
            int threads = 4;
            int each = 2000;
            List<Thread> senders = new ArrayList<>();
            java.util.concurrent.atomic.AtomicLong busy = new java.util.concurrent.atomic.AtomicLong();
            for (int t = 0; t < threads; t++) {
                int id = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        while (net.send(0, seg(frame(60 + (i % 200), id * each + i))) == SendResult.BUSY) {
                            busy.incrementAndGet();
                            Thread.onSpinWait();
                        }
                    }
                }));
            }
            for (Thread t : senders) {
                t.join(30_000);
            }
            await(() -> received.get() == threads * each, "every frame back");
            await(() -> net.stats().getFirst().txFrames() == threads * each, "every TX completion");
            assertThat(net.stats().getFirst().txBusy()).isEqualTo(busy.get());
            Harness.assertNoViolations(h.device);
        }
    }
}
