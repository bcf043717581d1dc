package driver.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationInputTest {

    @Test
    void anUnknownPropertyIsRefusedByNameAndNamespacedOnesPass() throws Exception {
        ConfigurationInput.knownProperties(Map.of("name", "x", "service.pid", "p", "felix.fileinstall.filename", "f"), List.of("name"));
        assertThatThrownBy(() -> ConfigurationInput.knownProperties(Map.of("speed", 1), List.of("name", "mtu")))
                .isInstanceOf(BusException.class).hasMessage("unknown property 'speed' (known: name, mtu)");
    }

    @Test
    void aNumberDsCannotConvertIsRefusedWithItsValue() throws Exception {
        assertThat(ConfigurationInput.number(() -> 7, "mtu", Map.of())).isEqualTo(7);
        assertThatThrownBy(() -> ConfigurationInput.number(() -> Integer.parseInt("abc"), "mtu", Map.of("mtu", "abc")))
                .hasMessage("invalid mtu 'abc': not a whole number");
    }

    @Test
    void theSourceIsTheFileAsAPathElseThePid() {
        assertThat(ConfigurationInput.source(Map.of(ConfigurationInput.FILEINSTALL_FILENAME, "file:/srv/deploy/a.cfg"))).isEqualTo("/srv/deploy/a.cfg");
        assertThat(ConfigurationInput.source(Map.of(ConfigurationInput.FILEINSTALL_FILENAME, "other:x"))).isEqualTo("other:x");
        assertThat(ConfigurationInput.source(Map.of("service.pid", "vdpa.sim.net~a"))).isEqualTo("configuration vdpa.sim.net~a");
    }
}
