package vdpa.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.internal.InMemoryBus;
import driver.core.BusException;
import driver.core.DeviceContext;
import driver.core.DeviceRegistration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vdpa.bus.SimpleVdpaDevice;
import vdpa.bus.VdpaAttr;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaDevAttrs;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDriver;
import vdpa.bus.VdpaMgmtDevice;
import vdpa.bus.VdpaRefusal;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioIds;
import virtio.spec.VirtioNet;

class VdpaShellTest {

    /** A management device that creates SimpleVdpaDevices on the bus, like vdpa_sim_net would. */
    static final class SimMgmt implements VdpaMgmtDevice {
        final VdpaBus bus;
        final Map<String, DeviceRegistration> created = new HashMap<>();
        final List<VdpaRefusal> refused = new ArrayList<>();

        SimMgmt(VdpaBus bus) {
            this.bus = bus;
        }

        @Override public String name() { return "vdpasim_net"; }
        @Override public Set<Integer> supportedClasses() { return Set.of(VirtioIds.VIRTIO_ID_NET); }
        @Override public int maxSupportedVqs() { return 3; }
        @Override public long supportedFeatures() { return SimpleVdpaDevice.FEATURES | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_CTRL_VQ); }
        @Override public Set<VdpaAttr> configAttributes() { return EnumSet.of(VdpaAttr.MAC, VdpaAttr.MTU); }

        @Override
        public void add(VdpaDevAttrs attrs) throws BusException {
            created.put(attrs.name(), bus.register(new SimpleVdpaDevice(),
                    Map.of(BusConstants.DEVICE_NAME, attrs.name(), VdpaConstants.MGMTDEV, name())));
        }

        @Override
        public List<VdpaRefusal> refusals() {
            return List.copyOf(refused);
        }

        @Override
        public void delete(String name) throws BusException {
            DeviceRegistration r = created.remove(name);
            if (r == null) {
                throw new BusException("vdpasim_net did not create " + name);
            }
            r.unregister();
        }
    }

    final InMemoryBus<VdpaDevice> engine = new InMemoryBus<>(VdpaBusAdapter.spec());
    final VdpaBusAdapter bus = new VdpaBusAdapter(engine);
    final SimMgmt sim = new SimMgmt(bus);
    final VdpaShell shell = new VdpaShell(bus, () -> List.of(sim));

    @AfterEach
    void closeBus() {
        engine.close();
    }


    @Test
    void mgmtdevShowPrintsLikeIproute2() {
        assertThat(Run.text(shell.mgmtdev(Run.words("show")))).isEqualTo("""
                vdpasim_net:
                  supported_classes net
                  max_supported_vqs 3
                  dev_features MTU MAC CTRL_VQ VERSION_1 ACCESS_PLATFORM""");
        assertThat(Run.text(shell.mgmtdev(Run.words("")))).isEqualTo(Run.text(shell.mgmtdev(Run.words("show vdpasim_net"))));
    }

    @Test
    void mgmtdevShowJson() {
        assertThat(Run.json(shell.mgmtdev(Run.words("show")))).isEqualTo("{\"mgmtdev\":{\"vdpasim_net\":{\"supported_classes\":[\"net\"],"
                + "\"max_supported_vqs\":3,\"dev_features\":[\"MTU\",\"MAC\",\"CTRL_VQ\",\"VERSION_1\",\"ACCESS_PLATFORM\"]}}}");
    }

    @Test
    void devAddShowDelRoundTrip() {
        assertThat(Run.text(shell.dev(Run.words("add name vdpa0 mgmtdev vdpasim_net mac 00:11:22:33:44:55")))).isNull();
        assertThat(Run.text(shell.dev(Run.words("show")))).isEqualTo(
                "vdpa0: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256");
        assertThat(Run.json(shell.dev(Run.words("show vdpa0")))).isEqualTo("{\"dev\":{\"vdpa0\":{\"type\":\"network\","
                + "\"mgmtdev\":\"vdpasim_net\",\"vendor_id\":0,\"max_vqs\":3,\"max_vq_size\":256}}}");
        assertThat(bus.device("vdpa0")).isPresent();
        assertThat(Run.text(shell.dev(Run.words("del vdpa0")))).isNull();
        assertThat(Run.text(shell.dev(Run.words("show")))).isEmpty();
        assertThat(bus.device("vdpa0")).isEmpty();
    }

    @Test
    void configurationsAManagementDeviceRefusedAreListedAsRefusedAfterTheDevices() {
        Run.text(shell.dev(Run.words("add name vdpa0 mgmtdev vdpasim_net")));
        sim.refused.add(new VdpaRefusal("/srv/deploy/vdpa.sim.net-bad.cfg", "invalid mac 'zz': expected 6 colon-separated octets, got 1"));
        assertThat(Run.text(shell.dev(Run.words("show")))).isEqualTo("""
                vdpa0: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256
                /srv/deploy/vdpa.sim.net-bad.cfg: state REFUSED mgmtdev vdpasim_net reason invalid mac 'zz': \
                expected 6 colon-separated octets, got 1""");
        assertThat(Run.json(shell.dev(Run.words("show")))).endsWith(",\"/srv/deploy/vdpa.sim.net-bad.cfg\":{\"state\":\"REFUSED\","
                + "\"mgmtdev\":\"vdpasim_net\",\"reason\":\"invalid mac 'zz': expected 6 colon-separated octets, got 1\"}}}");
        assertThat(Run.text(shell.dev(Run.words("show vdpa0")))).doesNotContain("REFUSED");
        sim.refused.clear();
        assertThat(Run.text(shell.dev(Run.words("show")))).doesNotContain("REFUSED");
    }

    @Test
    void failedCommandsSayWhyAndChangeNothing() {
        Run.text(shell.dev(Run.words("add name vdpa0 mgmtdev vdpasim_net")));
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("add name vdpa0 mgmtdev vdpasim_net"))))
                .hasMessage("device name 'vdpa0' is already taken");
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("add name vdpa1 mgmtdev nosuch")))).hasMessage("no mgmtdev 'nosuch'");
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("add name vdpa1 mgmtdev vdpasim_net max_vqp 1"))))
                .hasMessage("mgmtdev vdpasim_net does not support attributes: max_vqp");
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("del vdpa9")))).hasMessage("no device 'vdpa9'");
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("show vdpa9")))).hasMessage("no device 'vdpa9'");
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("frob")))).hasMessageStartingWith("unknown dev command 'frob'");
        assertThatThrownBy(() -> Run.text(shell.mgmtdev(Run.words("show nosuch")))).hasMessage("no mgmtdev 'nosuch'");
        assertThat(bus.devices()).extracting(d -> d.name()).containsExactly("vdpa0");
    }

    @Test
    void aDeviceRegisteredDirectlyCannotBeDeletedByTheShell() throws Exception {
        bus.register(new SimpleVdpaDevice(), Map.of(BusConstants.DEVICE_NAME, "hw0"));
        assertThatThrownBy(() -> Run.text(shell.dev(Run.words("del hw0")))).hasMessage("device 'hw0' was not created by a management device");
    }

    @Test
    void theBusFillsIdentityPropertiesAndRefusesContradictions() throws Exception {
        bus.register(new SimpleVdpaDevice(), Map.of(BusConstants.DEVICE_NAME, "vdpa3"));
        Map<String, Object> p = bus.devices().get(0).properties();
        assertThat(p).containsEntry(VdpaConstants.NAME, "vdpa3").containsEntry(VdpaConstants.VIRTIO_DEVICE_ID, 1)
                .containsEntry(VdpaConstants.VIRTIO_VENDOR_ID, 0).containsEntry(VdpaConstants.MAX_VQS, 3)
                .containsEntry(VdpaConstants.MAX_VQ_SIZE, 256);
        assertThatThrownBy(() -> bus.register(new SimpleVdpaDevice(),
                Map.of(BusConstants.DEVICE_NAME, "vdpa4", VdpaConstants.VIRTIO_DEVICE_ID, 2)))
                .hasMessageContaining("contradicts device vdpa4");
        assertThatThrownBy(() -> bus.register(new SimpleVdpaDevice(0, 0), Map.of(BusConstants.DEVICE_NAME, "vdpa5")))
                .hasMessageContaining("refuses device vdpa5").hasMessageContaining("nvqs 0");
        assertThatThrownBy(() -> bus.register(new SimpleVdpaDevice(),
                Map.of(BusConstants.DEVICE_NAME, "vdpa6", VdpaConstants.NAME, "other")))
                .hasMessage("property vdpa.name=other contradicts device.name=vdpa6");
    }

    @Test
    void aDriverStillProbingIsNotShownAsTheDevicesDriver() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        VdpaDriver slow = new VdpaDriver() {
            @Override
            public void probe(VdpaDevice device, DeviceContext context) throws InterruptedException {
                release.await(10, TimeUnit.SECONDS);
            }

            @Override
            public void remove(VdpaDevice device, DeviceContext context) {}
        };
        // a short hang timeout: the bus answers listings while the probe is still running
        try (InMemoryBus<VdpaDevice> slowEngine = new InMemoryBus<>(VdpaBusAdapter.spec(), Duration.ofMillis(50))) {
            VdpaBusAdapter slowBus = new VdpaBusAdapter(slowEngine);
            VdpaShell slowShell = new VdpaShell(slowBus, List::of);
            slowEngine.addDriver("slow_vdpa", "(vdpa.name=*)", 0, slow);
            slowBus.register(new SimpleVdpaDevice(), Map.of(BusConstants.DEVICE_NAME, "vdpa0"));
            assertThat(slowEngine.awaitState("vdpa0", BindingState.PROBING).driver()).isEqualTo("slow_vdpa");
            assertThat(Run.text(slowShell.dev(Run.words("show vdpa0")))).doesNotContain("driver");
            assertThat(Run.json(slowShell.dev(Run.words("show vdpa0")))).doesNotContain("driver");
            release.countDown();
            slowEngine.awaitState("vdpa0", BindingState.BOUND);
            assertThat(Run.text(slowShell.dev(Run.words("show vdpa0")))).endsWith(" driver slow_vdpa");
            assertThat(Run.json(slowShell.dev(Run.words("show vdpa0")))).contains("\"driver\":\"slow_vdpa\"");
        }
    }

    @Test
    void unknownFeatureBitsAndClassesAreNamedByNumber() {
        assertThat(VirtioNames.features((1L << 4) | (1L << 32), true)).containsExactly("bit_4", "VERSION_1");
        assertThat(VirtioNames.features(1L << 5, false)).containsExactly("bit_5");
        assertThat(VirtioNames.className(99)).isEqualTo("id_99");
    }
}
