package virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.spec.DeviceStatus.ACKNOWLEDGE;
import static virtio.spec.DeviceStatus.DEVICE_NEEDS_RESET;
import static virtio.spec.DeviceStatus.DRIVER;
import static virtio.spec.DeviceStatus.DRIVER_OK;
import static virtio.spec.DeviceStatus.FAILED;
import static virtio.spec.DeviceStatus.FEATURES_OK;

import org.junit.jupiter.api.Test;
import virtio.spec.DeviceStatus;

/** The driver side's status rules (2.1.1, 3.1.1) over the spec's bits. */
class DriverStatusRulesTest {

    @Test
    void theInitializationSequenceIsLegalStepByStep() {
        int s = 0;
        for (DeviceStatus step : new DeviceStatus[] {ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK}) {
            s = DriverStatusRules.advance(s, step);
        }
        assertThat(s).isEqualTo(0xf);
    }

    @Test
    void severalBitsInOneWriteAreLegalInOrder() {
        assertThat(DriverStatusRules.transition(0, 0x3)).isEqualTo(3);
    }

    @Test
    void skippingAStepIsRefused() {
        assertThatThrownBy(() -> DriverStatusRules.advance(0, DRIVER)).hasMessageContaining("DRIVER needs ACKNOWLEDGE");
        assertThatThrownBy(() -> DriverStatusRules.advance(1, FEATURES_OK)).hasMessageContaining("FEATURES_OK needs DRIVER");
        assertThatThrownBy(() -> DriverStatusRules.advance(3, DRIVER_OK)).hasMessageContaining("DRIVER_OK needs FEATURES_OK");
    }

    @Test
    void clearingABitNeedsAReset() {
        assertThatThrownBy(() -> DriverStatusRules.transition(0xb, 0x3)).hasMessageContaining("clears [FEATURES_OK]");
        assertThat(DriverStatusRules.transition(0xb, 0)).isZero();
    }

    @Test
    void theDriverCannotRaiseNeedsResetButMayWriteItBack() {
        assertThatThrownBy(() -> DriverStatusRules.transition(3, 3 | 0x40)).hasMessageContaining("set by the device only");
        assertThat(DriverStatusRules.advance(0x43, FAILED)).isEqualTo(0xc3);
    }

    @Test
    void afterFailedOnlyAResetHelps() {
        assertThat(DriverStatusRules.advance(3, FAILED)).isEqualTo(0x83);
        assertThatThrownBy(() -> DriverStatusRules.advance(0x83, FEATURES_OK)).hasMessageContaining("reset before");
        assertThatThrownBy(() -> DriverStatusRules.advance(0x4b, DRIVER_OK)).hasMessageContaining("DEVICE_NEEDS_RESET");
    }

    @Test
    void reservedBitsAreRefused() {
        assertThatThrownBy(() -> DriverStatusRules.transition(1, 0x11)).hasMessageContaining("reserved");
    }
}
