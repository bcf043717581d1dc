package virtio.vdpa.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;

/**
 * The DS descriptor bnd generated is what the vDPA bus reads: name, match rule, ranking, service
 * type, and the virtio bus reference. The match rule takes every registered vDPA device.
 */
class ComponentDescriptorTest {

    private static String descriptor() throws Exception {
        try (InputStream in = ComponentDescriptorTest.class.getResourceAsStream(
                "/OSGI-INF/virtio.vdpa.internal.VirtioVdpaComponent.xml")) {
            assertThat(in).as("bnd wrote the component descriptor").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theDriverServiceCarriesItsNameMatchRuleAndRanking() throws Exception {
        assertThat(descriptor())
                .contains("<property name=\"driver.name\" type=\"String\" value=\"virtio_vdpa\"/>")
                .contains("<property name=\"driver.match\" type=\"String\" value=\"(vdpa.name=*)\"/>")
                .contains("<property name=\"service.ranking\" type=\"Integer\" value=\"0\"/>")
                .contains("<provide interface=\"vdpa.bus.VdpaDriver\"/>")
                .contains("interface=\"virtio.bus.VirtioBus\"");
    }

    @Test
    void theMatchRuleTakesEveryRegisteredVdpaDeviceAndNothingElse() throws Exception {
        Filter match = FrameworkUtil.createFilter("(vdpa.name=*)");
        assertThat(match.matches(Map.of("vdpa.name", "vdpa0", "virtio.device.id", 1))).isTrue();
        assertThat(match.matches(Map.of("vdpa.name", "blk7", "virtio.device.id", 2))).isTrue();
        assertThat(match.matches(Map.of("device.name", "virtio0"))).isFalse();
    }
}
