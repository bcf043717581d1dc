package bench.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bare ring yardstick moves buffers as the real ring's benchmarks do, without timing. */
class BareRingBenchmarksTest {

    @Test
    void everyRoundTripTakesTheBufferBackAfterWalkingBothDescriptors() {
        BareRingRoundTripBenchmark b = new BareRingRoundTripBenchmark();
        b.setUp();
        try {
            for (int i = 0; i < 1000; i++) {
                assertThat(b.roundTrip()).isSameAs(BareRingRoundTripBenchmark.TOKEN);
            }
        } finally {
            b.tearDown();
        }
    }

    @Test
    void stagedBuffersAreInvisibleUntilPublishedAndComeBackInOrder() {
        try (BareSplitRing ring = new BareSplitRing(8)) {
            for (int i = 0; i < 4; i++) {
                assertThat(ring.driver().stage(0x1000, 10 + i, 0x2000, 20, i)).isTrue();
            }
            assertThat(ring.driver().stage(0x1000, 1, 0x2000, 1, "no room")).isFalse();
            assertThat(ring.device().pop()).isEqualTo(-1);
            assertThat(ring.driver().kickPrepare()).isTrue();
            for (int i = 0; i < 4; i++) {
                int head = ring.device().pop();
                assertThat(head).isEqualTo(2 * i);
                assertThat(ring.device().chainBytes()).isEqualTo(10 + i + 20);
                ring.device().pushUsed(head, 5);
            }
            assertThat(ring.driver().poll()).isNull();
            ring.device().publishUsed();
            for (int i = 0; i < 4; i++) {
                assertThat(ring.driver().poll()).isEqualTo(i);
            }
            assertThat(ring.driver().poll()).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 32})
    void handoffCountsBuffersCompleted(int batch) {
        BareRingHandoffBenchmark b = new BareRingHandoffBenchmark();
        b.batch = batch;
        b.setUp();
        try {
            var driver = new bench.ring.RingThroughputBenchmark.DriverCounters();
            var device = new bench.ring.RingThroughputBenchmark.DeviceCounters();
            b.device(device);
            assertThat(device.deviceEmpty).isEqualTo(1);
            for (int i = 0; i < 300; i++) {
                b.driver(driver);
            }
            int offered = Math.min(300 * batch, BareRingRoundTripBenchmark.QUEUE_SIZE / 2);
            assertThat(driver.ringFull).isEqualTo(300 - (offered + batch - 1) / batch);
            for (int i = 0; i < 300; i++) {
                b.device(device);
            }
            assertThat(device.served).isEqualTo(offered);
            while (driver.received < offered) {
                b.driver(driver);
            }
            assertThat(driver.received).isEqualTo(offered);
        } finally {
            b.tearDown();
        }
    }
}
