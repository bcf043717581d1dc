package vdpa.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DevAddRequestTest {

    static DevAddRequest parse(String line) {
        return DevAddRequest.parse(List.of(line.split(" ")));
    }

    @Test
    void allWordsInAnyOrder() {
        DevAddRequest r = parse("mgmtdev vdpasim_net device_features 0x300000028 name vdpa0 mac 00:11:22:33:44:55 mtu 9000 max_vqp 1");
        assertThat(r.mgmtdev()).isEqualTo("vdpasim_net");
        assertThat(r.attrs().name()).isEqualTo("vdpa0");
        assertThat(r.attrs().mac().orElseThrow().toString()).isEqualTo("00:11:22:33:44:55");
        assertThat(r.attrs().mtu().getAsInt()).isEqualTo(9000);
        assertThat(r.attrs().maxVqp().getAsInt()).isEqualTo(1);
        assertThat(r.attrs().deviceFeatures().getAsLong()).isEqualTo(0x300000028L);
    }

    @Test
    void hexWithoutPrefixAndAll64Bits() {
        assertThat(parse("name a mgmtdev m device_features ffffffffffffffff").attrs().deviceFeatures().getAsLong()).isEqualTo(-1L);
    }

    @Test
    void badArgumentsNameWhatIsWrong() {
        assertThatThrownBy(() -> parse("name a")).hasMessageStartingWith("mgmtdev is required");
        assertThatThrownBy(() -> parse("mgmtdev m")).hasMessageStartingWith("name is required");
        assertThatThrownBy(() -> parse("name a mgmtdev m mtu")).hasMessage("'mtu' needs a value");
        assertThatThrownBy(() -> parse("name a mgmtdev m colour red")).hasMessageStartingWith("unknown argument 'colour'");
        assertThatThrownBy(() -> parse("name a name b mgmtdev m")).hasMessage("'name' given twice");
        assertThatThrownBy(() -> parse("name a mgmtdev m mtu 15x0")).hasMessage("invalid mtu '15x0': not a decimal number");
        assertThatThrownBy(() -> parse("name a mgmtdev m mtu 40")).hasMessageStartingWith("invalid mtu 40");
        assertThatThrownBy(() -> parse("name a mgmtdev m device_features 0xg")).hasMessageStartingWith("invalid device_features '0xg'");
        assertThatThrownBy(() -> parse("name a mgmtdev m device_features 0x1ffffffffffffffff")).hasMessageContaining("64-bit");
        assertThatThrownBy(() -> parse("name a mgmtdev m mac 0:1:2:3:4:5")).hasMessageContaining("invalid mac");
    }
}
