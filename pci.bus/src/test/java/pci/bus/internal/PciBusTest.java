package pci.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.DeviceContext;
import driver.core.DeviceRegistration;
import driver.core.internal.InMemoryBus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pci.bus.ConfigImage;
import pci.bus.PciBar;
import pci.bus.PciConstants;
import pci.bus.PciDevice;
import pci.bus.PciDriver;
import pci.bus.PciRegs;

class PciBusTest {

    /** Modern virtio functions, as vdpa.hw.pci matches them: vendor 0x1af4, device 0x1040..0x107f. */
    static final String VIRTIO_MODERN = "(&(pci.vendor=6900)(pci.device>=4160)(pci.device<=4223))";

    final InMemoryBus<PciDevice> engine = new InMemoryBus<>(PciBusAdapter.spec());
    final PciBusAdapter bus = new PciBusAdapter(engine);

    @AfterEach
    void close() {
        bus.close();
    }

    static ConfigImage net(String slot) {
        return ConfigImage.function(slot, 0x1af4, 0x1041, 0x020000, 1).subsystem(0x1af4, 0x1100);
    }

    @Test
    void aFunctionIsPublishedUnderItsAddressWithTheIdsOfItsConfigSpace() throws Exception {
        bus.register(net("0000:00:04.0").provider("emulated"), Map.of());
        engine.awaitState("0000:00:04.0", BindingState.UNBOUND);
        Map<String, Object> p = engine.published("0000:00:04.0");
        assertThat(p).containsEntry(BusConstants.DEVICE_NAME, "0000:00:04.0")
                .containsEntry(PciConstants.SLOT, "0000:00:04.0")
                .containsEntry(PciConstants.VENDOR, 0x1af4)
                .containsEntry(PciConstants.DEVICE, 0x1041)
                .containsEntry(PciConstants.SUBSYSTEM_VENDOR, 0x1af4)
                .containsEntry(PciConstants.SUBSYSTEM_DEVICE, 0x1100)
                .containsEntry(PciConstants.CLASS, 0x020000)
                .containsEntry(PciConstants.REVISION, 1)
                .containsEntry(PciConstants.PROVIDER, "emulated")
                .containsEntry(BusConstants.DEVICE_BUS, "pci");
    }

    @Test
    void aDriverMatchesModernVirtioFunctionsByTheirIntegerIdsAndNothingElse() throws Exception {
        List<String> probed = new CopyOnWriteArrayList<>();
        engine.addDriver("vdpa_hw_pci", VIRTIO_MODERN, 0, new PciDriver() {
            @Override public void probe(PciDevice device, DeviceContext context) { probed.add(context.name()); }
            @Override public void remove(PciDevice device, DeviceContext context) { probed.remove(context.name()); }
        });
        bus.register(ConfigImage.function("0000:00:05.0", 0x1af4, 0x1000, 0x020000, 0), Map.of()); // transitional
        bus.register(ConfigImage.function("0000:00:06.0", 0x1af4, 0x1080, 0xff0000, 1), Map.of());
        bus.register(ConfigImage.function("0000:00:07.0", 0x8086, 0x1041, 0x020000, 1), Map.of());
        // the bus matches in registration order on one thread: the others were offered before this one binds
        bus.register(net("0000:00:04.0"), Map.of());
        engine.awaitState("0000:00:04.0", BindingState.BOUND);
        assertThat(probed).containsExactly("0000:00:04.0");
        assertThat(bus.devices()).filteredOn(d -> d.state() == BindingState.BOUND).extracting(d -> d.name())
                .containsExactly("0000:00:04.0");
    }

    @Test
    void unregisteringAFunctionRemovesItsDriverFirst() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        engine.addDriver("d", VIRTIO_MODERN, 0, new PciDriver() {
            @Override public void probe(PciDevice device, DeviceContext context) { events.add("probe"); }
            @Override public void remove(PciDevice device, DeviceContext context) {
                events.add("remove, still published: " + (engine.published(context.name()) != null));
            }
        });
        DeviceRegistration r = bus.register(net("0000:00:04.0"), Map.of());
        engine.awaitState("0000:00:04.0", BindingState.BOUND);
        r.unregister();
        assertThat(events).containsExactly("probe", "remove, still published: true");
        assertThat(engine.published("0000:00:04.0")).isNull();
    }

    @Test
    void theNameMustBeTheAddress() {
        assertThatThrownBy(() -> bus.register(net("0000:00:04.0"), Map.of(BusConstants.DEVICE_NAME, "eth0")))
                .isInstanceOf(BusException.class).hasMessageContaining("not the function's address 0000:00:04.0");
        assertThatThrownBy(() -> bus.register(net("0000:00:04.0"), Map.of(PciConstants.VENDOR, 0x8086)))
                .isInstanceOf(BusException.class).hasMessageContaining("contradicts");
    }

    @Test
    void aFunctionThatIsNotThereOrIsABridgeOrHasOverlappingBarsIsRefused() {
        ConfigImage absent = ConfigImage.function("0000:00:08.0", 0xffff, 0xffff, 0xffffff, 0xff);
        assertThatThrownBy(() -> bus.register(absent, Map.of())).hasMessageContaining("Vendor ID 0xffff");
        ConfigImage bridge = net("0000:00:09.0");
        bridge.config().write8(PciRegs.PCI_HEADER_TYPE, 1);
        assertThatThrownBy(() -> bus.register(bridge, Map.of())).hasMessageContaining("header type 1");
        ConfigImage overlap = net("0000:00:0a.0").bar(0, PciBar.Type.MEM64, 0xfe000000L, 4096).bar(1, PciBar.Type.MEM32, 0, 4096);
        assertThatThrownBy(() -> bus.register(overlap, Map.of())).hasMessageContaining("slot 1");
        ConfigImage truncated = new ConfigImage(net("0000:00:0b.0").address(), new byte[64]);
        assertThatThrownBy(() -> bus.register(truncated, Map.of())).hasMessageContaining("64 bytes");
        assertThat(bus.devices()).isEmpty();
    }
}
