package bench.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The hot plug harness, small, in a real embedded Felix: every result it reports is there and
 * made of measurements (positive times), and what it measures holds: removing the devices leaves
 * no platform thread behind. No time is asserted.
 */
class HotPlugIT {

    /** name -> samples of each result line. */
    private static Map<String, double[]> samples(List<String> lines) {
        return lines.stream().collect(Collectors.toMap(l -> l.split(" ")[1], l -> {
            String[] v = l.substring(l.indexOf("samples=") + 8).split(",");
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = Double.parseDouble(v[i]);
            }
            return d;
        }));
    }

    @Test
    void bundleCyclesAndScaleRoundsReportEveryMeasurementAndLeaveNoThreadBehind() throws Exception {
        try (EmbeddedBusbar busbar = EmbeddedBusbar.start()) {
            Map<String, double[]> cycles = samples(HotPlug.bundleCycles(busbar, 3, 1));
            Map<String, double[]> scale = samples(HotPlug.scale(busbar, 8, 1));

            assertThat(cycles).containsOnlyKeys("HotPlug.bundleStart", "HotPlug.startToDriver",
                    "HotPlug.driverToNetDevice", "HotPlug.bundleStop");
            cycles.values().forEach(v -> assertThat(java.util.Arrays.stream(v).boxed().toList()).hasSize(3)
                    .allSatisfy(x -> assertThat(x).isPositive()));
            // the two phases make up the whole
            for (int i = 0; i < 3; i++) {
                assertThat(cycles.get("HotPlug.startToDriver")[i] + cycles.get("HotPlug.driverToNetDevice")[i])
                        .isCloseTo(cycles.get("HotPlug.bundleStart")[i], org.assertj.core.api.Assertions.within(1e-6));
            }
            assertThat(scale.get("Scale.bind")).hasSize(1);
            assertThat(scale.get("Scale.bind")[0]).isPositive();
            assertThat(scale.get("Scale.vdpaRegistered")[0]).isLessThanOrEqualTo(scale.get("Scale.bind")[0]);
            assertThat(scale.get("Scale.remove")[0]).isPositive();
            assertThat(scale.get("Scale.heapPerDevice")[0]).isPositive();
            assertThat(scale.get("Scale.threadsLeftAfterRemoval")).containsExactly(0);
        }
    }

    @Test
    void macsAreDistinctUnicastAndLocallyAdministered() {
        assertThat(HotPlug.mac(0)).isEqualTo("52:54:00:5c:00:00");
        assertThat(HotPlug.mac(1000)).isEqualTo("52:54:00:5c:03:e8");
    }

    @Test
    void optionsDefaultAndRefuseWhatTheyDoNotKnow() {
        assertThat(HotPlug.Options.parse(new String[0])).isEqualTo(new HotPlug.Options(200, 20, 1000, 3));
        assertThat(HotPlug.Options.parse(new String[] {"--devices", "5", "--rounds", "0"}))
                .isEqualTo(new HotPlug.Options(200, 20, 5, 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HotPlug.Options.parse(new String[] {"--device", "5"}))
                .hasMessageContaining("--device");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HotPlug.Options.parse(new String[] {"--devices", "-1"}))
                .hasMessageContaining("not a count");
    }
}
