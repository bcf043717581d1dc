package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RingErrorCounterTest {

    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    // held so the logger (and its handler) is not collected during the test
    private final Logger logger = Logger.getLogger("virtio.ring");

    @BeforeEach
    void attach() {
        logger.addHandler(capture);
    }

    @AfterEach
    void detach() {
        logger.removeHandler(capture);
    }

    @Test
    void eachReasonIsCountedEveryTimeAndLoggedOnce() {
        RingErrorCounter c = new RingErrorCounter("vq0");
        for (int i = 0; i < 1000; i++) {
            c.record(RingError.CHAIN_TOO_LONG);
        }
        c.record(RingError.HEAD_OUT_OF_RANGE);
        assertThat(c.count(RingError.CHAIN_TOO_LONG)).isEqualTo(1000);
        assertThat(c.total()).isEqualTo(1001);
        assertThat(c.snapshot()).containsOnlyKeys(RingError.CHAIN_TOO_LONG, RingError.HEAD_OUT_OF_RANGE);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).getParameters()).containsExactly("vq0", RingError.CHAIN_TOO_LONG);
    }

    @Test
    void aHostileRingIsLoggedOnceHoweverOftenItIsPolled() {
        try (RawSplit r = new RawSplit(8)) {
            r.publish(200);
            for (int i = 0; i < 100; i++) {
                assertThat(r.device.pop()).isNull();
            }
            assertThat(records).hasSize(1);
        }
    }
}
