package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.BusConstants;
import driver.core.ComponentDescriptor;
import driver.core.internal.InMemoryBus;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Filter;
import virtio.bus.InMemoryVirtioDevice;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtioDriver;
import virtio.bus.internal.VirtioBusComponent;

/**
 * What the virtio bus sees of virtio_net, read from the DS descriptor bnd generated: its name, and
 * a match rule that takes the network devices the real virtio bus publishes and nothing else.
 */
class ComponentDescriptorTest {

    final VirtioBusComponent virtio = new VirtioBusComponent(InMemoryBus.factory(), null);

    @AfterEach
    void closeBus() {
        virtio.close();
    }

    static ComponentDescriptor descriptor() throws Exception {
        return ComponentDescriptor.of(VirtioNetComponent.class, "virtio.net");
    }

    Map<String, Object> published(VirtioDevice device, String name) throws Exception {
        virtio.register(device, Map.of(BusConstants.DEVICE_NAME, name));
        return virtio.devices().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow().properties();
    }

    @Test
    void theDriverServiceCarriesItsName() throws Exception {
        assertThat(descriptor().string(BusConstants.DRIVER_NAME)).isEqualTo(VirtioNetDriver.NAME);
        assertThat(descriptor().provides()).containsExactly(VirtioDriver.class.getName());
    }

    @Test
    void theMatchRuleTakesNetworkDevicesAndNoOthers() throws Exception {
        Filter match = descriptor().matchRule();
        assertThat(match.matches(published(InMemoryVirtioDevice.net(), "virtio0"))).isTrue();
        InMemoryVirtioDevice block = new InMemoryVirtioDevice(2, 0x1af4, InMemoryVirtioDevice.net().deviceFeatures(), 0, 8, 64);
        assertThat(match.matches(published(block, "virtio1"))).isFalse();
    }
}
