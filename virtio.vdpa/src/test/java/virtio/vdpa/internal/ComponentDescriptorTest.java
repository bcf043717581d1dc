package virtio.vdpa.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.Bus;
import driver.core.BusConstants;
import driver.core.ComponentDescriptor;
import driver.core.internal.InMemoryBus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import vdpa.bus.SimpleVdpaDevice;
import vdpa.bus.VdpaDriver;
import vdpa.bus.internal.VdpaBusComponent;
import virtio.bus.InMemoryVirtioDevice;
import virtio.bus.VirtioBus;
import virtio.bus.internal.VirtioBusComponent;
import virtio.vdpa.VirtioVdpaConstants;

/**
 * The DS descriptor bnd generated is what SCR reads and so what the vDPA bus sees: name, match
 * rule, ranking, service type, and the virtio bus reference. Each check reads the descriptor, and
 * the match rule is tried on the properties the real buses publish, so a change to the component's
 * annotations that changes what the bus binds fails here.
 */
class ComponentDescriptorTest {

    private static ComponentDescriptor descriptor() throws Exception {
        return ComponentDescriptor.of(VirtioVdpaComponent.class, VirtioVdpaComponent.class.getName());
    }

    /** The properties the real bus publishes with a device registered under this name. */
    static <D> Map<String, Object> published(Bus<D> bus, D device, String name) throws Exception {
        bus.register(device, Map.of(BusConstants.DEVICE_NAME, name));
        return bus.devices().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow().properties();
    }

    @Test
    void theDriverServiceCarriesItsNameMatchRuleAndRanking() throws Exception {
        ComponentDescriptor d = descriptor();
        assertThat(d.properties()).containsEntry(BusConstants.DRIVER_NAME, "String:" + VirtioVdpaConstants.DRIVER_NAME)
                .containsEntry(Constants.SERVICE_RANKING, "Integer:0")
                .containsKey(BusConstants.DRIVER_MATCH);
        assertThat(d.provides()).containsExactly(VdpaDriver.class.getName());
        assertThat(d.references()).containsExactly(VirtioBus.class.getName());
    }

    @Test
    void theMatchRuleTakesEveryDeviceTheVdpaBusPublishes() throws Exception {
        Filter match = descriptor().matchRule();
        VdpaBusComponent vdpa = new VdpaBusComponent(InMemoryBus.factory(), null);
        try {
            assertThat(match.matches(published(vdpa, new SimpleVdpaDevice(), "vdpa0"))).isTrue();
            SimpleVdpaDevice blk = new SimpleVdpaDevice() {
                @Override public int getDeviceId() { return 2; }
            };
            assertThat(match.matches(published(vdpa, blk, "blk7"))).isTrue();
        } finally {
            vdpa.close();
        }
    }

    @Test
    void theMatchRuleTakesNoDeviceOfTheVirtioBus() throws Exception {
        VirtioBusComponent virtio = new VirtioBusComponent(InMemoryBus.factory(), null);
        try {
            assertThat(descriptor().matchRule().matches(published(virtio, InMemoryVirtioDevice.net(), "virtio0"))).isFalse();
        } finally {
            virtio.close();
        }
    }
}
