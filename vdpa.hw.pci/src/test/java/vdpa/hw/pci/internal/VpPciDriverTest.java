package vdpa.hw.pci.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BindingState;
import driver.core.BusException;
import driver.core.BusFactory;
import driver.core.DeviceContext;
import driver.core.internal.InMemoryBus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import pci.bus.ConfigImage;
import pci.bus.PciDevice;
import pci.bus.PciRegs;
import pci.bus.internal.InMemoryPciBus;
import pci.emul.internal.EmulatedFunctions;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaDevAttrs;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDriver;
import vdpa.bus.VdpaMgmtDevice;
import vdpa.bus.VqStateSupport;
import vdpa.bus.internal.VdpaBusComponent;
import vdpa.hw.pci.VpVdpa;
import virtio.spec.VirtioPci;

/** The driver on the real PCI and vDPA buses (no framework): probe, dev add, hot unplug, hostile functions. */
class VpPciDriverTest {

    final EmulatedFunctions functions = new EmulatedFunctions();
    final InMemoryPciBus pci = new InMemoryPciBus();
    InMemoryBus<VdpaDevice> vdpaEngine;
    final VdpaBus vdpa = new VdpaBusComponent(new BusFactory() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> Engine<T> create(BundleContext owner, Spec<T> spec) {
            InMemoryBus<T> e = new InMemoryBus<>(spec);
            vdpaEngine = (InMemoryBus<VdpaDevice>) e;
            return e;
        }
    }, null);
    final List<VdpaMgmtDevice> published = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final VpPciDriver driver = new VpPciDriver(vdpa, m -> {
        published.add(m);
        return () -> published.remove(m);
    });
    Object handle;

    @AfterEach
    void close() throws Exception {
        driver.removeAll();
        pci.close();
        ((AutoCloseable) vdpa).close();
        functions.close();
    }

    void bind() throws Exception {
        handle = pci.addDriver(VpVdpa.DRIVER_NAME, VpVdpa.MATCH, driver);
        vdpaEngine.addDriver("recorder", "(vdpa.name=*)", 0, new VdpaDriver() {
            @Override public void probe(VdpaDevice device, DeviceContext context) { events.add("probe " + context.name()); }
            @Override public void remove(VdpaDevice device, DeviceContext context) {
                events.add("remove " + context.name() + ", function answers " + (device.getStatus() != 0xff));
            }
        });
    }

    VdpaMgmtDevice mgmt(String name) {
        return published.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + published));
    }

    /** Why the one function's probe failed, once it did. */
    String probeError() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pci.devices().isEmpty() || pci.devices().get(0).lastError() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no probe failed: " + pci.devices());
            }
            Thread.sleep(5);
        }
        return pci.devices().get(0).lastError();
    }

    @Test
    void aBoundFunctionGetsAManagementDeviceWhoseDeviceIsOnTheVdpaBus() throws Exception {
        bind();
        PciDevice f = functions.function("0000:00:04.0", 2, "loopback");
        var reg = pci.register(f, Map.of());
        pci.awaitState("0000:00:04.0", BindingState.BOUND);
        assertThat(f.config().read16(PciRegs.PCI_COMMAND) & 0x6).as("Memory Space and Bus Master on").isEqualTo(0x6);
        VdpaMgmtDevice m = mgmt("pci/0000:00:04.0");
        assertThat(m.supportedClasses()).containsExactly(1);
        assertThat(m.maxSupportedVqs()).isEqualTo(5);
        m.add(VdpaDevAttrs.named("vdpa2"));
        vdpaEngine.awaitState("vdpa2", BindingState.BOUND);
        assertThat(vdpaEngine.published("vdpa2")).containsEntry(VdpaConstants.MGMTDEV, "pci/0000:00:04.0")
                .containsEntry(VdpaConstants.VIRTIO_DEVICE_ID, 1).containsEntry(VdpaConstants.MAX_VQS, 5)
                .containsEntry(VdpaConstants.MAX_VQ_SIZE, EmulatedFunctions.queueSizeMax(f));
        assertThat(vdpa.device("vdpa2").orElseThrow().vqStateSupport()).isEqualTo(VqStateSupport.INITIAL_ONLY);
        assertThatThrownBy(() -> m.add(VdpaDevAttrs.named("vdpa3"))).isInstanceOf(BusException.class)
                .hasMessageContaining("already has device 'vdpa2'");
        assertThatThrownBy(() -> m.add(new VdpaDevAttrs("vdpa3", Optional.empty(), OptionalInt.of(9000), OptionalInt.empty(),
                OptionalLong.empty()))).hasMessageContaining("does not support attributes: mtu");

        // hot unplug: the vDPA device's driver lets go while the function still answers, then everything goes
        reg.unregister();
        assertThat(events).containsExactly("probe vdpa2", "remove vdpa2, function answers true");
        assertThat(vdpa.devices()).isEmpty();
        assertThat(published).isEmpty();
        assertThat(f.config().read16(PciRegs.PCI_COMMAND) & 0x6).as("left disabled").isZero();
        assertThat(f.msix().orElseThrow().enabledVectors()).isZero();
    }

    @Test
    void deviceFeaturesMaskWhatTheDeviceOffersAndFeaturesOkIsWithheldBeyondThem() throws Exception {
        bind();
        PciDevice f = functions.function("0000:00:04.0", 1, "loopback");
        pci.register(f, Map.of());
        pci.awaitState("0000:00:04.0", BindingState.BOUND);
        long version1 = 1L << 32;
        long mac = 1L << 5;
        mgmt("pci/0000:00:04.0").add(new VdpaDevAttrs("vdpa2", Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalLong.of(version1 | mac)));
        VdpaDevice d = vdpa.device("vdpa2").orElseThrow();
        assertThat(d.getDeviceFeatures()).isEqualTo(version1 | mac);
        d.reset();
        d.setStatus(1);
        d.setStatus(3);
        d.setDriverFeatures(version1 | mac | (1L << 16)); // STATUS: the function offers it, the device does not
        d.setStatus(11);
        assertThat(d.getStatus() & 8).isZero();
        assertThatThrownBy(() -> mgmt("pci/0000:00:04.0").add(new VdpaDevAttrs("x", Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalLong.of(mac)))).hasMessageContaining("must include VERSION_1");
    }

    @Test
    void uninstallingTheDriverTakesEverythingDownAndItsReturnRebuildsTheConfiguredDevice() throws Exception {
        bind();
        driver.want("pid1", new VpPciDriver.Want("vdpa.hw.pci.dev-vdpa2.cfg", "pci/0000:00:04.0", VdpaDevAttrs.named("vdpa2")));
        pci.register(functions.function("0000:00:04.0", 1, "loopback"), Map.of());
        pci.awaitState("0000:00:04.0", BindingState.BOUND);
        vdpaEngine.awaitState("vdpa2", BindingState.BOUND);
        pci.removeDriver(handle);
        pci.awaitState("0000:00:04.0", BindingState.UNBOUND);
        assertThat(vdpa.devices()).isEmpty();
        assertThat(published).isEmpty();
        handle = pci.addDriver(VpVdpa.DRIVER_NAME, VpVdpa.MATCH, driver);
        vdpaEngine.awaitState("vdpa2", BindingState.BOUND);
        driver.unwant("pid1");
        // the bus takes the device away on its own thread: wait for it, bounded
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!vdpa.devices().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(vdpa.devices()).isEmpty();
        assertThat(mgmt("pci/0000:00:04.0")).isNotNull();
    }

    @Test
    void aConfiguredDeviceTheManagementDeviceRefusesIsListedAsRefused() throws Exception {
        bind();
        pci.register(functions.function("0000:00:04.0", 1, "loopback"), Map.of());
        pci.awaitState("0000:00:04.0", BindingState.BOUND);
        driver.want("pid1", new VpPciDriver.Want("a.cfg", "pci/0000:00:04.0", new VdpaDevAttrs("vdpa2", Optional.empty(),
                OptionalInt.of(1500), OptionalInt.empty(), OptionalLong.empty())));
        assertThat(mgmt("pci/0000:00:04.0").refusals()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("does not support attributes: mtu"));
        driver.unwant("pid1");
        assertThat(mgmt("pci/0000:00:04.0").refusals()).isEmpty();
    }

    @Test
    void aFunctionWithoutUsableStructuresIsRefusedAndLeftAsItWas() throws Exception {
        bind();
        // virtio ids, but its only capability places the common structure outside any BAR
        ConfigImage f = ConfigImage.function("0000:00:05.0", 0x1af4, 0x1041, 0x020000, 1)
                .capability(0x40, PciRegs.PCI_CAP_ID_VNDR, VirtioPciCapsTest.cap(1, 4, 0, 0x38, 0));
        pci.register(f, Map.of());
        assertThat(probeError()).contains("BAR 4 is not an implemented memory BAR");
        assertThat(f.config().read16(PciRegs.PCI_COMMAND)).isZero();
        assertThat(published).isEmpty();
    }

    @Test
    void aFunctionThatNeverFinishesItsResetIsRefusedWithTheReason() throws Exception {
        bind();
        PciDevice real = functions.function("0000:00:06.0", 1, "loopback");
        PciDevice stuck = new HostileFunction(real, (offset, width, v) -> offset == VirtioPci.VIRTIO_PCI_COMMON_STATUS ? v | 1 : v);
        pci.register(stuck, Map.of());
        assertThat(probeError()).contains("did not finish its reset within PT2S");
        assertThat(stuck.config().read16(PciRegs.PCI_COMMAND)).as("left as it was").isZero();
    }

    @Test
    void aFunctionThatRefusesAnMsixVectorFailsDriverOkAndKeepsNoVector() throws Exception {
        PciDevice real = functions.function("0000:00:07.0", 1, "loopback");
        PciDevice f = new HostileFunction(real, (offset, width, v) -> offset == VirtioPci.VIRTIO_PCI_COMMON_Q_MSIX
                ? VirtioPci.VIRTIO_MSI_NO_VECTOR : v);
        VpVdpaDevice d = new VpVdpaDevice("vp", Functions.modern(f), -1L);
        d.setStatus(1);
        d.setStatus(3);
        d.setDriverFeatures(1L << 32);
        d.setStatus(11);
        d.setVqCb(0, () -> {});
        assertThatThrownBy(() -> d.setStatus(15)).isInstanceOf(IllegalStateException.class)
                .hasMessage("0000:00:07.0 refused MSI-X vector 0 for queue 0");
        assertThat(d.getStatus() & 4).isZero();
        assertThat(f.msix().orElseThrow().enabledVectors()).isZero();
    }

    @Test
    void aFunctionWhoseNotifyAddressLeavesItsStructureGetsNoDevice() throws Exception {
        PciDevice real = functions.function("0000:00:08.0", 1, "loopback");
        PciDevice f = new HostileFunction(real, (offset, width, v) -> offset == VirtioPci.VIRTIO_PCI_COMMON_Q_NOFF ? 0x7fff : v);
        assertThatThrownBy(() -> new VpVdpaDevice("vp", Functions.modern(f), -1L)).isInstanceOf(IllegalStateException.class)
                .hasMessage("queue 0's notify address 0x1fffc leaves the notify structure of 0xc bytes");
    }
}
