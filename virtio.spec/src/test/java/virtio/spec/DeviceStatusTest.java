package virtio.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.DeviceStatus.ACKNOWLEDGE;
import static virtio.spec.DeviceStatus.DEVICE_NEEDS_RESET;
import static virtio.spec.DeviceStatus.DRIVER;
import static virtio.spec.DeviceStatus.DRIVER_OK;
import static virtio.spec.DeviceStatus.FAILED;
import static virtio.spec.DeviceStatus.FEATURES_OK;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class DeviceStatusTest {

    @Test
    void valuesAreTheSpecs() {
        assertThat(ACKNOWLEDGE.value()).isEqualTo(1);
        assertThat(DRIVER.value()).isEqualTo(2);
        assertThat(DRIVER_OK.value()).isEqualTo(4);
        assertThat(FEATURES_OK.value()).isEqualTo(8);
        assertThat(DEVICE_NEEDS_RESET.value()).isEqualTo(0x40);
        assertThat(FAILED.value()).isEqualTo(0x80);
        assertThat(DeviceStatus.known()).isEqualTo(0xcf);
    }

    @Test
    void theInitializationOrderIsSection311s() {
        assertThat(DeviceStatus.initializationOrder()).containsExactly(ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK);
        assertThat(ACKNOWLEDGE.previousStep()).isNull();
        assertThat(DRIVER.previousStep()).isEqualTo(ACKNOWLEDGE);
        assertThat(FEATURES_OK.previousStep()).isEqualTo(DRIVER);
        assertThat(DRIVER_OK.previousStep()).isEqualTo(FEATURES_OK);
        assertThat(FAILED.previousStep()).isNull();
        assertThat(DEVICE_NEEDS_RESET.previousStep()).isNull();
    }

    @Test
    void ofAndBitsAreInverse() {
        assertThat(DeviceStatus.of(0x8b)).containsExactly(ACKNOWLEDGE, DRIVER, FEATURES_OK, FAILED);
        assertThat(DeviceStatus.bits(EnumSet.of(DRIVER_OK, DEVICE_NEEDS_RESET))).isEqualTo(0x44);
        assertThat(DeviceStatus.of(0x30)).isEmpty();
    }

    @Test
    void describeNamesTheBitsAndShowsUnknownOnes() {
        assertThat(DeviceStatus.describe(0)).isEqualTo("0");
        assertThat(DeviceStatus.describe(0x8b)).isEqualTo("ACKNOWLEDGE|DRIVER|FEATURES_OK|FAILED");
        assertThat(DeviceStatus.describe(0x11)).isEqualTo("ACKNOWLEDGE|0x10");
    }
}
