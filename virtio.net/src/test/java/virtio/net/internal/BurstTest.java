package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.net.internal.Harness.await;
import static virtio.net.internal.Harness.frame;
import static virtio.net.internal.Harness.seg;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import virtio.net.api.SendResult;

/** The burst send: frames in order, one kick decision, stops at the first frame not taken. */
class BurstTest {

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void aBurstArrivesIntactInOrderAndCounted(boolean packed) throws Exception {
        try (Harness h = new Harness(Harness.ALL | (packed ? Harness.PACKED : 0), 1500, 1, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            DatapathTest.Collector rx = new DatapathTest.Collector();
            net.setReceiveHandler(rx);
            List<byte[]> sent = new ArrayList<>();
            MemorySegment[] burst = new MemorySegment[16];
            for (int round = 0; round < 50; round++) {
                for (int i = 0; i < burst.length; i++) {
                    byte[] f = frame(60 + (round * 16 + i) % 900, round * 16 + i);
                    burst[i] = seg(f);
                }
                int from = 0;
                while (from < burst.length) {
                    from += net.send(0, burst, from, burst.length - from);
                    Thread.onSpinWait();
                }
                for (MemorySegment f : burst) {
                    sent.add(f.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                }
            }
            await(() -> rx.frames.size() == sent.size(), "every frame of every burst");
            for (int i = 0; i < sent.size(); i++) {
                assertThat(rx.frames.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
            }
            await(() -> net.stats().getFirst().txFrames() == sent.size(), "TX completions");
            Harness.assertNoViolations(h.device);
        }
    }

    @Test
    void aBurstStopsAtTheFirstFrameNotTakenAndSaysHowManyWere() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            DatapathTest.Collector rx = new DatapathTest.Collector();
            net.setReceiveHandler(rx);
            MemorySegment good = seg(frame(100, 1));
            MemorySegment tooShort = seg(new byte[10]);
            MemorySegment[] frames = {good, good, tooShort, good};

            assertThat(net.send(0, frames, 0, 4)).isEqualTo(2);
            assertThat(net.send(0, tooShort)).isEqualTo(SendResult.INVALID_LENGTH);
            assertThat(net.send(0, frames, 3, 1)).isEqualTo(1);
            assertThat(net.send(0, frames, 0, 0)).isZero();
            await(() -> rx.frames.size() == 3, "the three frames taken");
            assertThatThrownBy(() -> net.send(0, frames, 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> net.send(1, frames, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            h.remove();
            assertThat(net.send(0, frames, 0, 1)).as("a removed device takes nothing").isZero();
        }
    }
}
