package virtio.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.internal.InMemoryBus;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import virtio.bus.InMemoryVirtioDevice;
import virtio.bus.VirtioConstants;
import virtio.bus.VirtioDevice;
import virtio.spec.Virtq;

/** What the virtio bus takes in, through driver.core's real admission. */
class VirtioBusAdapterTest {

    final InMemoryBus<VirtioDevice> engine = new InMemoryBus<>(VirtioBusAdapter.spec());
    final VirtioBusAdapter bus = new VirtioBusAdapter(engine);

    @AfterEach
    void closeBus() {
        engine.close();
    }

    static Map<String, Object> named(String name) {
        return Map.of(BusConstants.DEVICE_NAME, name);
    }

    @Test
    void anAcceptedDeviceIsPublishedWithTheIdsItReports() throws Exception {
        bus.register(InMemoryVirtioDevice.net(), named("virtio0"));
        assertThat(bus.devices()).singleElement().satisfies(d -> assertThat(d.properties())
                .containsEntry(VirtioConstants.DEVICE_ID, 1).containsEntry(VirtioConstants.VENDOR_ID, 0x1af4)
                .containsEntry(BusConstants.DEVICE_BUS, VirtioConstants.BUS));
    }

    @Test
    void deviceIdZeroIsRefused() {
        assertThatThrownBy(() -> bus.register(new InMemoryVirtioDevice(0, 0, 0, 0, 0, 8), named("virtio0")))
                .isInstanceOf(BusException.class)
                .hasMessage("bus virtio refuses device virtio0: device id 0 is reserved (invalid device)");
    }

    @Test
    void aQueueLargerThanVirtioAllowsIsRefused() {
        assertThatThrownBy(() -> bus.register(new InMemoryVirtioDevice(1, 0, 0, 0, 0, 8, Virtq.VIRTQ_MAX_SIZE * 2),
                named("virtio0"))).hasMessage("bus virtio refuses device virtio0: queue 1 max size "
                        + Virtq.VIRTQ_MAX_SIZE * 2 + " is outside 0.." + Virtq.VIRTQ_MAX_SIZE);
    }

    /** A device whose transport went away between creation and registration. */
    static final class Gone extends InMemoryVirtioDevice {
        Gone() {
            super(1, 0, 0, 0, 0, 8);
        }

        @Override
        public int queueMaxSize(int index) {
            throw new IllegalStateException("transport gone");
        }
    }

    @Test
    void anOpThatThrowsIsNotTheValidatorsToCatch() {
        assertThatThrownBy(() -> new VirtioDeviceValidator().apply(new Gone())).isInstanceOf(IllegalStateException.class)
                .hasMessage("transport gone");
    }

    @Test
    void theBusRefusesADeviceWhoseOpsThrowWhileItIsChecked() {
        assertThatThrownBy(() -> bus.register(new Gone(), named("virtio0"))).isInstanceOf(BusException.class)
                .hasMessage("bus virtio refuses device virtio0: device ops failed while being checked: "
                        + "java.lang.IllegalStateException: transport gone");
        assertThat(bus.devices()).isEmpty();
    }
}
