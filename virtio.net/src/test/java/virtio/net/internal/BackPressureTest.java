package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.net.internal.Harness.await;
import static virtio.net.internal.Harness.frame;
import static virtio.net.internal.Harness.seg;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import virtio.net.api.SendResult;

/** A device that stops consuming TX fills the ring; the driver says BUSY, counts it, and loses nothing. */
class BackPressureTest {

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void aFullTxRingRefusesWithBusyAndEverySentFrameArrivesLater(boolean packed) throws Exception {
        try (Harness h = new Harness(Harness.ALL | (packed ? Harness.PACKED : 0), 1500, 1, 8, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            DatapathTest.Collector rx = new DatapathTest.Collector();
            net.setReceiveHandler(rx);
            h.device.datapath.txPaused = true;
            List<Integer> accepted = new ArrayList<>();
            int busy = 0;
            for (int seq = 0; seq < 20; seq++) {
                SendResult r = net.send(0, seg(frame(100 + seq, seq)));
                if (r == SendResult.SENT) {
                    accepted.add(seq);
                } else {
                    assertThat(r).isEqualTo(SendResult.BUSY);
                    busy++;
                }
            }
            assertThat(accepted).as("one frame per TX ring entry").hasSize(8);
            assertThat(busy).isEqualTo(12);
            assertThat(net.stats().getFirst().txBusy()).isEqualTo(12);
            assertThat(rx.frames).isEmpty();

            h.device.datapath.txPaused = false;
            h.device.datapath.wake();
            await(() -> rx.frames.size() == 8, "the 8 accepted frames arrive");
            for (int i = 0; i < 8; i++) {
                assertThat(rx.frames.get(i)).isEqualTo(frame(100 + accepted.get(i), accepted.get(i)));
            }
            await(() -> net.stats().getFirst().txFrames() == 8, "their completions are counted");
            assertThat(net.send(0, seg(frame(60, 99)))).as("room again").isEqualTo(SendResult.SENT);
            assertThat(net.stats().getFirst().drops()).isEmpty();
        }
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void aReceiverThatStopsPostingIsNotOverrunTheDeviceWaits(boolean packed) throws Exception {
        // an RX ring of 8 and 40 frames: the loopback holds TX until buffers come back, so nothing is dropped
        try (Harness h = new Harness(Harness.ALL | (packed ? Harness.PACKED : 0), 1500, 1, 8, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            DatapathTest.Collector rx = new DatapathTest.Collector();
            net.setReceiveHandler((q, f) -> {
                try {
                    gate.await(); // the worker is stuck: RX buffers are not re-posted meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                rx.frame(q, f);
            });
            List<Integer> accepted = new ArrayList<>();
            for (int seq = 0; seq < 40; seq++) {
                if (net.send(0, seg(frame(200, seq))) == SendResult.SENT) {
                    accepted.add(seq);
                }
            }
            assertThat(accepted.size()).as("the rings filled up").isLessThan(40);
            gate.countDown();
            await(() -> rx.frames.size() == accepted.size(), "every accepted frame arrives");
            assertThat(rx.frames).extracting(Harness::seqOf).containsExactlyElementsOf(accepted);
            assertThat(h.device.datapath.rxDelivered.get()).isEqualTo(accepted.size());
        }
    }
}
