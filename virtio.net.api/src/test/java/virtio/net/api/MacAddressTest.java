package virtio.net.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
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
        assertThat(MacAddress.isMulticast(0x33_33_00_00_00_01L)).isTrue();
        assertThat(MacAddress.isMulticast(0xfe_ff_ff_ff_ff_ffL)).isFalse();
    }

    @Test
    void readTakesSixOctetsAtAnOffsetFirstOctetMostSignificant() {
        byte[] frame = {(byte) 0xff, 1, 2, 3, 4, 5, (byte) 0xa6, (byte) 0xb7, (byte) 0xc8, (byte) 0xd9, (byte) 0xea, (byte) 0xfb};
        MemorySegment m = MemorySegment.ofArray(frame);
        assertThat(MacAddress.read(m, 0)).isEqualTo(0xff_01_02_03_04_05L);
        assertThat(new MacAddress(MacAddress.read(m, 6)).toString()).isEqualTo("a6:b7:c8:d9:ea:fb");
        assertThat(MacAddress.read(m, 3)).isEqualTo(0x03_04_05_a6_b7_c8L);
        assertThatThrownBy(() -> MacAddress.read(m, 7)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
