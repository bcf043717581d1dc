package bench.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ring benchmarks do what they claim, on one thread and without timing: every round trip
 * takes the buffer back, and the handoff counts only buffers completed as {@code received}.
 */
class RingBenchmarksTest {

    @ParameterizedTest
    @CsvSource({"split,direct,true", "split,indirect,false", "packed,direct,false", "packed,indirect,true"})
    void everyRoundTripTakesTheBufferBack(String layout, String descriptors, boolean addressCheck) {
        RingRoundTripBenchmark b = new RingRoundTripBenchmark();
        b.layout = layout;
        b.descriptors = descriptors;
        b.addressCheck = addressCheck;
        b.setUp();
        try {
            for (int i = 0; i < 1000; i++) {
                assertThat(b.roundTrip()).isSameAs(RingFixture.TOKEN);
            }
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"split,1", "split,32", "packed,1", "packed,32"})
    void handoffCountsBuffersCompletedAndIdleCallsApart(String layout, int batch) {
        RingThroughputBenchmark b = new RingThroughputBenchmark();
        b.layout = layout;
        b.batch = batch;
        b.setUp();
        try {
            var driver = new RingThroughputBenchmark.DriverCounters();
            var device = new RingThroughputBenchmark.DeviceCounters();
            b.device(device);
            assertThat(device.deviceEmpty).isEqualTo(1);

            for (int i = 0; i < 300; i++) {
                b.driver(driver);
            }
            // a direct two-element buffer takes two of the 256 descriptors
            int offered = Math.min(300 * batch, RingFixture.QUEUE_SIZE / 2);
            assertThat(driver.received).isZero();
            assertThat(driver.ringFull).isEqualTo(300 - (offered + batch - 1) / batch);

            for (int i = 0; i < 300; i++) {
                b.device(device);
            }
            assertThat(device.served).isEqualTo(offered);

            long received = 0;
            while (received < offered) {
                b.driver(driver);
                received = driver.received;
            }
            assertThat(received).isEqualTo(offered);
        } finally {
            b.tearDown();
        }
    }
}
