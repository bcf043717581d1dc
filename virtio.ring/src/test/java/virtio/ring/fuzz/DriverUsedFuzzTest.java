package virtio.ring.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the driver side's used-ring parsing: the input is a {@link DriverScript}
 * (buffers the driver adds, arbitrary used entries and indices (split) or descriptor flags, ids and
 * lengths (packed) a hostile device writes, an honest device's service, resets), run by
 * {@link DriverHarness}, which checks its invariants after every step.
 *
 * <p>{@code mvn verify} replays the seeds in {@code src/test/resources/virtio/ring/fuzz/DriverUsedFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1} fuzzes one target. See {@code virtio.ring/FUZZING.md}.
 */
class DriverUsedFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void splitUsed(byte[] input) {
        DriverHarness.run(input, false);
    }

    @FuzzTest(maxDuration = "15s")
    void packedUsed(byte[] input) {
        DriverHarness.run(input, true);
    }
}
