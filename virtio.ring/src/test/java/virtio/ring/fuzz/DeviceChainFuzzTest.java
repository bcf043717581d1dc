package virtio.ring.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the device side's chain parsing: the input is a {@link DeviceScript}
 * (a hostile driver's ring contents, buffer memory, mappings and queue state, interleaved with
 * the device serving), run by {@link DeviceHarness}, which checks its invariants after every step.
 *
 * <p>{@code mvn verify} replays the seeds in {@code src/test/resources/virtio/ring/fuzz/DeviceChainFuzzTestInputs/}
 * (Jazzer's regression mode); {@code JAZZER_FUZZ=1} fuzzes one target. See {@code virtio.ring/FUZZING.md}.
 */
class DeviceChainFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void splitChains(byte[] input) {
        DeviceHarness.run(input, false);
    }

    @FuzzTest(maxDuration = "15s")
    void packedChains(byte[] input) {
        DeviceHarness.run(input, true);
    }
}
