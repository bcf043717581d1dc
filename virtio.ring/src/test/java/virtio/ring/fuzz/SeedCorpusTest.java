package virtio.ring.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed corpus means what its file names say: each checked-in seed is the generator's current
 * output, and running it reaches the outcome it was written for (a chain served, a loop refused
 * as CHAIN_TOO_LONG, ...). Jazzer's regression run then replays the same files through the
 * invariants.
 */
class SeedCorpusTest {

    static Stream<SeedCorpus.Seed> seeds() {
        return SeedCorpus.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void seedIsCheckedInAndReachesItsOutcome(SeedCorpus.Seed seed) throws IOException {
        String resource = "/" + seed.path(Path.of("")).toString().replace('\\', '/');
        try (InputStream in = SeedCorpusTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("%s is checked in (regenerate with SeedCorpus.main)", resource).isNotNull();
            assertThat(in.readAllBytes()).as("%s is the generator's current output", resource).isEqualTo(seed.bytes());
        }
        int count;
        Object broken;
        switch (seed.target()) {
            case "splitChains", "packedChains" -> {
                DeviceHarness.Outcome o = DeviceHarness.run(seed.bytes(), seed.target().startsWith("packed"));
                count = o.served();
                broken = o.broken();
            }
            default -> {
                DriverHarness.Outcome o = DriverHarness.run(seed.bytes(), seed.target().startsWith("packed"));
                count = o.taken();
                broken = o.broken();
            }
        }
        assertThat(count).as("buffers served or taken back").isEqualTo(seed.count());
        assertThat(broken).as("fault").isEqualTo(seed.broken());
    }
}
