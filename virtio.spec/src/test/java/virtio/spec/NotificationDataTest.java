package virtio.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotificationDataTest {

    @Test
    void splitValueCarriesQueueAndAvailIdx() {
        int v = NotificationData.split(2, 0xBEEF);
        assertThat(v).isEqualTo(0xBEEF0002);
        assertThat(NotificationData.vqn(v)).isEqualTo(2);
        assertThat(NotificationData.splitAvailIdx(v)).isEqualTo(0xBEEF);
    }

    @Test
    void packedValueCarriesOffsetAndWrapInBit31() {
        int v = NotificationData.packed(1, 0x7FFF, true);
        assertThat(v).isEqualTo(0xFFFF0001);
        assertThat(NotificationData.nextOff(v)).isEqualTo(0x7FFF);
        assertThat(NotificationData.nextWrap(v)).isTrue();
        assertThat(NotificationData.nextWrap(NotificationData.packed(1, 5, false))).isFalse();
    }
}
