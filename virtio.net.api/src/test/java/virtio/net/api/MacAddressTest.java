package virtio.net.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void parsesAndPrintsBackInLowerCase() {
        MacAddress m = MacAddress.parse("00:E8:ca:11:be:05");
        assertThat(m.value()).isEqualTo(0x00e8ca11be05L);
        assertThat(m.toString()).isEqualTo("00:e8:ca:11:be:05");
        assertThat(m.octets()).containsExactly(0x00, 0xe8, 0xca, 0x11, 0xbe, 0x05);
        assertThat(MacAddress.of(m.octets())).isEqualTo(m);
    }

    @Test
    void malformedTextIsRefusedWithTheReason() {
        assertThatThrownBy(() -> MacAddress.parse("00:11:22:33:44")).hasMessageContaining("expected 6");
        assertThatThrownBy(() -> MacAddress.parse("00:11:22:33:44:5")).hasMessageContaining("octet '5'");
        assertThatThrownBy(() -> MacAddress.parse("00:11:22:33:44:zz")).hasMessageContaining("octet 'zz'");
        assertThatThrownBy(() -> MacAddress.parse("00-11-22-33-44-55")).hasMessageContaining("expected 6");
        assertThatThrownBy(() -> MacAddress.parse("00:11:22:33:44:55:")).hasMessageContaining("got 7");
        assertThatThrownBy(() -> MacAddress.of(new byte[5])).hasMessageContaining("6 octets, not 5");
        assertThatThrownBy(() -> new MacAddress(1L << 48)).hasMessageContaining("exceeds 48 bits");
    }

    @Test
    void theGroupBitMakesAnAddressMulticast() {
        assertThat(MacAddress.parse("01:00:5e:00:00:01").isMulticast()).isTrue();
        assertThat(MacAddress.BROADCAST.isMulticast()).isTrue();
        assertThat(MacAddress.parse("52:54:00:12:34:56").isMulticast()).isFalse();
    }
}
