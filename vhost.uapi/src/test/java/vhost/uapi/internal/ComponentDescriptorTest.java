package vhost.uapi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.BusConstants;
import driver.core.ComponentDescriptor;
import driver.core.internal.InMemoryBus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vdpa.bus.SimpleVdpaDevice;
import vdpa.bus.VdpaDriver;
import vdpa.bus.internal.VdpaBusComponent;
import vhost.uapi.VhostUapi;
import virtio.spec.VirtioIds;

/**
 * The DS descriptor bnd generated is what the vDPA bus sees of vhost_vdpa: its name, a match rule
 * that takes every device the real vDPA bus publishes, and {@code driver.autoprobe=false}, so the
 * bus gives it a device only when asked and virtio_vdpa keeps the others.
 */
class ComponentDescriptorTest {

    private static ComponentDescriptor descriptor() throws Exception {
        return ComponentDescriptor.of(VhostVdpaDriver.class, VhostVdpaDriver.class.getName());
    }

    @Test
    void theDriverServiceCarriesItsNameAndBindsOnlyWhenAsked() throws Exception {
        ComponentDescriptor d = descriptor();
        assertThat(d.properties()).containsEntry(BusConstants.DRIVER_NAME, "String:" + VhostUapi.DRIVER_NAME)
                .containsEntry(BusConstants.DRIVER_AUTOPROBE, "Boolean:false");
        assertThat(d.provides()).contains(VdpaDriver.class.getName());
    }

    @Test
    void theMatchRuleTakesEveryDeviceTheVdpaBusPublishes() throws Exception {
        VdpaBusComponent vdpa = new VdpaBusComponent(InMemoryBus.factory(), null);
        try {
            vdpa.register(new SimpleVdpaDevice(), Map.of(BusConstants.DEVICE_NAME, "vdpa0"));
            SimpleVdpaDevice blk = new SimpleVdpaDevice() {
                @Override public int getDeviceId() { return VirtioIds.VIRTIO_ID_BLOCK; }
            };
            vdpa.register(blk, Map.of(BusConstants.DEVICE_NAME, "blk7"));
            assertThat(vdpa.devices()).hasSize(2)
                    .allSatisfy(i -> assertThat(descriptor().matchRule().matches(i.properties())).as(i.name()).isTrue());
        } finally {
            vdpa.close();
        }
    }
}
