package virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.bus.DeviceStatus.ACKNOWLEDGE;
import static virtio.bus.DeviceStatus.DEVICE_NEEDS_RESET;
import static virtio.bus.DeviceStatus.DRIVER;
import static virtio.bus.DeviceStatus.DRIVER_OK;
import static virtio.bus.DeviceStatus.FAILED;
import static virtio.bus.DeviceStatus.FEATURES_OK;

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
    }

    @Test
    void theInitializationSequenceIsLegalStepByStep() {
        int s = 0;
        for (DeviceStatus step : new DeviceStatus[] {ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK}) {
            s = DeviceStatus.advance(s, step);
        }
        assertThat(s).isEqualTo(0xf);
    }

    @Test
    void severalBitsInOneWriteAreLegalInOrder() {
        assertThat(DeviceStatus.transition(0, 0x3)).isEqualTo(3);
    }

    @Test
    void skippingAStepIsRefused() {
        assertThatThrownBy(() -> DeviceStatus.advance(0, DRIVER)).hasMessageContaining("DRIVER needs ACKNOWLEDGE");
        assertThatThrownBy(() -> DeviceStatus.advance(1, FEATURES_OK)).hasMessageContaining("FEATURES_OK needs DRIVER");
        assertThatThrownBy(() -> DeviceStatus.advance(3, DRIVER_OK)).hasMessageContaining("DRIVER_OK needs FEATURES_OK");
    }

    @Test
    void clearingABitNeedsAReset() {
        assertThatThrownBy(() -> DeviceStatus.transition(0xb, 0x3)).hasMessageContaining("clears [FEATURES_OK]");
        assertThat(DeviceStatus.transition(0xb, 0)).isZero();
    }

    @Test
    void theDriverCannotRaiseNeedsResetButMayWriteItBack() {
        assertThatThrownBy(() -> DeviceStatus.transition(3, 3 | 0x40)).hasMessageContaining("set by the device only");
        assertThat(DeviceStatus.advance(0x43, FAILED)).isEqualTo(0xc3);
    }

    @Test
    void afterFailedOnlyAResetHelps() {
        assertThat(DeviceStatus.advance(3, FAILED)).isEqualTo(0x83);
        assertThatThrownBy(() -> DeviceStatus.advance(0x83, FEATURES_OK)).hasMessageContaining("reset before");
        assertThatThrownBy(() -> DeviceStatus.advance(0x4b, DRIVER_OK)).hasMessageContaining("DEVICE_NEEDS_RESET");
    }

    @Test
    void reservedBitsAreRefused() {
        assertThatThrownBy(() -> DeviceStatus.transition(1, 0x11)).hasMessageContaining("reserved");
    }

    @Test
    void describeNamesTheBits() {
        assertThat(DeviceStatus.describe(0)).isEqualTo("0");
        assertThat(DeviceStatus.describe(0x8b)).isEqualTo("ACKNOWLEDGE|DRIVER|FEATURES_OK|FAILED");
    }
}
