package virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/** The refusals of each negotiation step that no well-behaved device or driver reaches. */
class VirtioNegotiationTest {

    static final long V1 = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
    static final long MAC = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC);

    @Test
    void aDeviceWhoseStatusSurvivesTheResetIsRefused() {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, V1, V1, 8, 64) {
            @Override
            public synchronized int getStatus() {
                return DeviceStatus.ACKNOWLEDGE.value();
            }
        };
        assertThatThrownBy(() -> VirtioNegotiation.reset(dev)).isInstanceOf(NegotiationException.class)
                .hasMessage("device did not reset: status ACKNOWLEDGE");
    }

    @Test
    void negotiationStartsOnlyFromAResetDevice() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        dev.setStatus(DeviceStatus.ACKNOWLEDGE.value());
        assertThatThrownBy(() -> VirtioNegotiation.negotiate(dev, MAC, f -> f)).isInstanceOf(NegotiationException.class)
                .hasMessageContaining("not reset before negotiation");
        VirtioNegotiation.reset(dev);
        assertThat(VirtioNegotiation.negotiate(dev, MAC, f -> f) & MAC).isEqualTo(MAC);
    }

    @Test
    void aValidateThatAddsBitsIsRefused() {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, V1 | MAC, V1, 8, 64);
        assertThatThrownBy(() -> VirtioNegotiation.negotiate(dev, 0, f -> f | MAC)).isInstanceOf(NegotiationException.class)
                .hasMessageContaining("validate added features 0x20");
    }

    @Test
    void aTransportThatAddsBitsIsRefused() {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, V1 | MAC, V1, 8, 64) {
            @Override
            public synchronized long finalizeFeatures(long features) {
                return super.finalizeFeatures(features | MAC);
            }
        };
        assertThatThrownBy(() -> VirtioNegotiation.negotiate(dev, 0, f -> f)).isInstanceOf(NegotiationException.class)
                .hasMessageContaining("transport added features 0x20");
    }

    @Test
    void aDeviceAskingForAResetAtFeaturesOkIsRefused() {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, V1, V1, 8, 64) {
            @Override
            public synchronized void setStatus(int value) {
                super.setStatus(value);
                if (DeviceStatus.FEATURES_OK.in(value)) {
                    deviceNeedsReset();
                }
            }
        };
        assertThatThrownBy(() -> VirtioNegotiation.negotiate(dev, 0, f -> f)).isInstanceOf(NegotiationException.class)
                .hasMessageContaining("needs reset after FEATURES_OK");
    }
}
