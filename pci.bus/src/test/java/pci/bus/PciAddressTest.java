package pci.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PciAddressTest {

    @Test
    void parsesAndPrintsLinuxsForm() {
        PciAddress a = PciAddress.parse("0000:00:04.0");
        assertThat(a).isEqualTo(new PciAddress(0, 0, 4, 0));
        assertThat(PciAddress.parse("abcd:ef:1f.7").toString()).isEqualTo("abcd:ef:1f.7");
        assertThat(new PciAddress(1, 2, 3, 4).toString()).isEqualTo("0001:02:03.4");
    }

    @Test
    void refusesTextThatIsNotAnAddressAndPartsOutOfRange() {
        for (String bad : new String[] {"00:04.0", "0000:00:04", "0000:00:04.8", "0000:000:04.0", "x", ""}) {
            assertThatThrownBy(() -> PciAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid PCI address");
        }
        assertThatThrownBy(() -> new PciAddress(0, 0, 32, 0)).hasMessageContaining("device 32");
        assertThatThrownBy(() -> PciAddress.parse("0000:00:20.0")).hasMessageContaining("device 32 is outside 0..0x1f");
        assertThatThrownBy(() -> PciAddress.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersByDomainBusDeviceFunction() {
        assertThat(PciAddress.parse("0000:00:04.1")).isGreaterThan(PciAddress.parse("0000:00:04.0"));
        assertThat(PciAddress.parse("0000:01:00.0")).isGreaterThan(PciAddress.parse("0000:00:1f.7"));
        assertThat(PciAddress.parse("0001:00:00.0")).isGreaterThan(PciAddress.parse("0000:ff:1f.7"));
    }
}
