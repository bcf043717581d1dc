package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BusException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import virtio.net.api.MacAddress;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaDevAttrs;
import vdpa.bus.VdpaDevice;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;
import vdpa.sim.model.NetModel;
import vdpa.sim.model.NetModelSpec;

/** The management device and the configuration component, without a framework. */
class MgmtDeviceTest {

    final FakeVdpaBus bus = new FakeVdpaBus();
    final SimNetMgmtDevice mgmt = new SimNetMgmtDevice(bus);

    @AfterEach
    void close() {
        mgmt.deactivate();
    }

    @Test
    void addRegistersWithDefaultsAndDeleteUnregistersAndStopsTheDatapath() throws Exception {
        mgmt.add(VdpaDevAttrs.named("vdpa0"));
        VdpaDevice d = bus.device("vdpa0").orElseThrow();
        assertThat(bus.properties.get("vdpa0")).containsEntry(VdpaConstants.MGMTDEV, "vdpasim_net");
        assertThat(d.vqCount()).isEqualTo(3);
        assertThat(d.getConfig(0, 1)[0] & 0x03).as("locally administered unicast").isEqualTo(2);
        assertThat(d.getConfig(0, 6)).isEqualTo(NetParams.defaultMac("vdpa0").octets());
        assertThat(d.getConfig(10, 2)).containsExactly(0xdc, 0x05);
        assertThat(mgmt.datapathJobs()).containsExactly("vdpasim vdpa0");
        mgmt.delete("vdpa0");
        assertThat(bus.devices).isEmpty();
        assertThat(mgmt.datapathJobs()).isEmpty();
        assertThatThrownBy(() -> mgmt.delete("vdpa0")).isInstanceOf(BusException.class);
    }

    @Test
    void aHundredIdleDevicesAddNoThread() throws Exception {
        mgmt.add(VdpaDevAttrs.named("warm"));
        int before = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
        for (int i = 0; i < 100; i++) {
            mgmt.add(VdpaDevAttrs.named("idle" + i));
        }
        // a little slack for threads the JVM starts on its own meanwhile; a thread per device is 100
        assertThat(java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount()).isLessThan(before + 5);
        assertThat(mgmt.datapathJobs()).hasSize(101);
        assertThat(mgmt.datapathWorkers()).isEqualTo(SimNetMgmtDevice.DATAPATH_WORKERS);
    }

    @Test
    void attributesAreHonouredAndRefusalsChangeNothing() throws Exception {
        mgmt.add(new VdpaDevAttrs("vdpa1", Optional.of(MacAddress.parse("00:11:22:33:44:55")), OptionalInt.of(9000),
                OptionalInt.of(4), OptionalLong.of(SimNetFeatures.OFFERED & ~TestDriver.PACKED)));
        VdpaDevice d = bus.device("vdpa1").orElseThrow();
        assertThat(d.vqCount()).isEqualTo(9);
        assertThat(d.getDeviceFeatures() & TestDriver.PACKED).isZero();
        assertThat(d.getConfig(0, 12)).containsExactly(0, 0x11, 0x22, 0x33, 0x44, 0x55, 1, 0, 4, 0, 0x28, 0x23);
        assertThatThrownBy(() -> mgmt.add(VdpaDevAttrs.named("vdpa1"))).hasMessageContaining("already taken");
        assertThatThrownBy(() -> mgmt.add(new VdpaDevAttrs("vdpa2", Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalLong.of(VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC))))).hasMessageContaining("VERSION_1");
        assertThatThrownBy(() -> mgmt.add(new VdpaDevAttrs("vdpa2", Optional.empty(), OptionalInt.empty(),
                OptionalInt.of(17), OptionalLong.empty()))).hasMessageContaining("max_vqp 17");
        assertThat(bus.devices).containsOnlyKeys("vdpa1");
    }

    @Test
    void aServiceListenerCallingBackFromAnotherThreadDuringRegistrationIsAnswered() throws Exception {
        // A listener of the registration event (delivered on the registering thread) hands work to
        // another thread and waits for it: that thread asks the management device for its devices
        // and adds another one. With the registration made under the management device's lock,
        // both block until the wait gives up.
        List<String> answered = new CopyOnWriteArrayList<>();
        bus.registered = name -> {
            if (!name.equals("vdpa0")) {
                return;
            }
            onAnotherThread(() -> {
                answered.add("list " + mgmt.list().size());
                try {
                    mgmt.add(VdpaDevAttrs.named("vdpa1"));
                    answered.add("added vdpa1");
                } catch (BusException e) {
                    answered.add(e.getMessage());
                }
            });
        };
        mgmt.add(VdpaDevAttrs.named("vdpa0"));
        assertThat(answered).as("answered while vdpa0 was being registered").containsExactly("list 1", "added vdpa1");
        assertThat(bus.devices).containsOnlyKeys("vdpa0", "vdpa1");
    }

    @Test
    void aNameBeingRegisteredIsTakenAndItsDeviceCannotBeDeletedOrAddedTwice() throws Exception {
        List<String> refusals = new CopyOnWriteArrayList<>();
        bus.registered = name -> {
            onAnotherThread(() -> {
                for (ThrowingRunnable r : List.<ThrowingRunnable>of(() -> mgmt.add(VdpaDevAttrs.named("vdpa0")),
                        () -> mgmt.delete("vdpa0"))) {
                    try {
                        r.run();
                        refusals.add("not refused");
                    } catch (BusException e) {
                        refusals.add(e.getMessage());
                    }
                }
            });
        };
        mgmt.add(VdpaDevAttrs.named("vdpa0"));
        assertThat(refusals).hasSize(2);
        assertThat(refusals.get(0)).contains("already taken");
        assertThat(refusals.get(1)).contains("still being added");
        bus.registered = null;
        mgmt.delete("vdpa0");
        assertThat(bus.devices).isEmpty();
    }

    @Test
    void aDeviceRegisteredWhileTheManagementDeviceGoesAwayIsTakenDownByItsAdd() {
        AtomicBoolean deactivated = new AtomicBoolean();
        bus.registered = name -> {
            onAnotherThread(() -> {
                mgmt.deactivate();
                deactivated.set(true);
            });
        };
        assertThatThrownBy(() -> mgmt.add(VdpaDevAttrs.named("vdpa0"))).hasMessageContaining("went away");
        assertThat(deactivated).as("deactivate did not wait for the registration").isTrue();
        assertThat(bus.devices).isEmpty();
        assertThat(mgmt.datapathJobs()).isEmpty();
        assertThat(mgmt.datapathWorkers()).as("the datapath workers end with the management device").isZero();
        assertThatThrownBy(() -> mgmt.add(VdpaDevAttrs.named("vdpa1"))).hasMessageContaining("went away");
    }

    /**
     * Runs {@code work} on another thread and waits for it, at most 5 s: a listener that blocks on
     * work which needs the management device, bounded so that a deadlock fails the test instead of
     * hanging it.
     */
    private static void onAnotherThread(Runnable work) {
        Thread other = Thread.ofPlatform().start(work);
        try {
            other.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface ThrowingRunnable {
        void run() throws BusException;
    }

    @Test
    void relinkMovesTheWireAndARefusedRelinkKeepsTheOldOne() throws Exception {
        mgmt.add(VdpaDevAttrs.named("a"));
        mgmt.add(VdpaDevAttrs.named("b"));
        mgmt.add(VdpaDevAttrs.named("c"));
        mgmt.relink("a", new LinkSpec.Cable("x"));
        assertThat(mgmt.device("a").port.peer()).isNull();
        mgmt.relink("b", new LinkSpec.Cable("x"));
        assertThat(mgmt.device("a").port.peer()).isSameAs(mgmt.device("b").port);
        assertThatThrownBy(() -> mgmt.relink("c", new LinkSpec.Cable("x"))).hasMessageContaining("already joins");
        assertThat(mgmt.device("c").port.peer()).isSameAs(mgmt.device("c").port);
        assertThat(mgmt.list()).extracting(SimNetMgmtDevice.Info::link).containsExactly("cable:x", "cable:x", "loopback");
    }

    @Test
    void aModelIsTheSameDeviceOffTheBusAndACableJoinsItToABusDevice() throws Exception {
        mgmt.add(new VdpaDevAttrs("vdpa0", Optional.of(new MacAddress(Sim.MAC_A)), OptionalInt.empty(), OptionalInt.empty(),
                OptionalLong.empty()));
        mgmt.relink("vdpa0", new LinkSpec.Cable("w"));
        NetModel model = mgmt.create(new NetModelSpec("pci-0000:00:04.0", Optional.of(new MacAddress(Sim.MAC_B)), 1500, 1, "cable:w"));
        assertThat(bus.devices).as("a model is not on the vDPA bus").containsOnlyKeys("vdpa0");
        assertThat(model.linkUp()).isTrue();
        assertThat(model.getDeviceFeatures()).isEqualTo(mgmt.offeredFeatures());
        assertThat(mgmt.list()).extracting(SimNetMgmtDevice.Info::on).containsExactly("vdpa", "model");
        assertThatThrownBy(() -> mgmt.create(new NetModelSpec("vdpa0", Optional.empty(), 1500, 1, "loopback")))
                .hasMessageContaining("already taken");
        assertThatThrownBy(() -> mgmt.create(new NetModelSpec("x", Optional.empty(), 1500, 1, "cable:w")))
                .hasMessageContaining("already joins");

        // frames cross the cable from the bus device to the model, driven through the model's ops
        try (TestDriver onBus = new TestDriver(bus.device("vdpa0").orElseThrow(), TestDriver.BASE, 64);
                TestDriver onModel = new TestDriver(model, TestDriver.BASE, 64)) {
            onModel.postRx(0, 8, 2048);
            onBus.send(0, TestDriver.frame(Sim.MAC_B, Sim.MAC_A, 100, 1));
            assertThat(onModel.receive(0, 1)).hasSize(1);
        }
        assertThat(mgmt.datapathJobs()).contains("vdpasim pci-0000:00:04.0");
        model.close();
        model.close();
        assertThat(mgmt.datapathJobs()).doesNotContain("vdpasim pci-0000:00:04.0");
        assertThat(mgmt.device("vdpa0").port.peer()).as("the cable's other end left").isNull();
        assertThat(mgmt.list()).extracting(SimNetMgmtDevice.Info::name).containsExactly("vdpa0");
    }

    @Test
    void modelsGoWhenTheManagementDeviceGoes() throws Exception {
        NetModel model = mgmt.create(new NetModelSpec("m", Optional.empty(), 1500, 2, "loopback"));
        assertThat(model.vqCount()).isEqualTo(5);
        assertThat(model.getConfig(0, 6)).as("the default MAC rule of vdpa dev add").isEqualTo(NetParams.defaultMac("m").octets());
        mgmt.deactivate();
        assertThat(mgmt.datapathJobs()).isEmpty();
        assertThat(model.getStatus()).isZero();
    }

    @Test
    void configurationsCreateCableTheirDevicesAndDeleteThem() throws Exception {
        SimNetConfigComponent a = new SimNetConfigComponent(mgmt, config(Map.of("mac", "02:00:00:00:00:0a", "link", "cable:wire")),
                Map.of(SimNetConfigComponent.FILEINSTALL_FILENAME, "file:/opt/busbar/deploy/vdpa.sim.net-vdpa0.cfg"));
        SimNetConfigComponent b = new SimNetConfigComponent(mgmt, config(Map.of("name", "vdpa1", "link", "cable:wire",
                "max_vqp", 2)), Map.of());
        assertThat(bus.devices).containsOnlyKeys("vdpa0", "vdpa1");
        assertThat(mgmt.device("vdpa0").port.peer()).isSameAs(mgmt.device("vdpa1").port);
        assertThat(bus.device("vdpa1").orElseThrow().vqCount()).isEqualTo(5);
        a.deactivate();
        assertThat(bus.devices).containsOnlyKeys("vdpa1");
        assertThat(mgmt.device("vdpa1").port.peer()).as("the other end is down").isNull();
        b.deactivate();
        assertThat(bus.devices).isEmpty();
    }

    @Test
    void aConfigurationsDriverOverridePinsItsDevice() throws Exception {
        SimNetConfigComponent a = new SimNetConfigComponent(mgmt, config(Map.of("name", "vdpa0", "driver_override", "vhost_vdpa")),
                Map.of());
        SimNetConfigComponent b = new SimNetConfigComponent(mgmt, config(Map.of("name", "vdpa1")), Map.of());
        assertThat(bus.properties.get("vdpa0")).containsEntry("driver_override", "vhost_vdpa");
        assertThat(bus.properties.get("vdpa1")).doesNotContainKey("driver_override");
        a.deactivate();
        b.deactivate();
    }

    /**
     * The annotation instance DS would build from configuration properties (keys as DS maps them:
     * {@code max_vqp} for {@code max__vqp}; defaults for the rest). As DS does, a value is
     * converted when it is read, and one that cannot be throws then.
     */
    static SimNetConfig config(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        return (SimNetConfig) Proxy.newProxyInstance(SimNetConfig.class.getClassLoader(), new Class<?>[] {SimNetConfig.class},
                (proxy, m, args) -> {
                    Object v = p.get(m.getName().replace("__", "_"));
                    if (v == null) {
                        return m.getDefaultValue();
                    }
                    if (m.getReturnType() == int.class && !(v instanceof Integer)) {
                        return Integer.parseInt(v.toString().strip());
                    }
                    return m.getReturnType() == String.class ? v.toString() : v;
                });
    }
}
