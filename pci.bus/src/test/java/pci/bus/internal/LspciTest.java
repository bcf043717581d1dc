package pci.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.BindingState;
import driver.core.DeviceContext;
import driver.core.internal.InMemoryBus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pci.bus.ConfigImage;
import pci.bus.PciBar;
import pci.bus.PciDevice;
import pci.bus.PciDriver;
import pci.bus.PciProvider;
import pci.bus.PciRegs;
import shell.format.Listing;

class LspciTest {

    final InMemoryBus<PciDevice> engine = new InMemoryBus<>(PciBusAdapter.spec());
    final PciBusAdapter bus = new PciBusAdapter(engine);
    final PciProvider vfio = new PciProvider() {
        @Override public String name() { return "vfio"; }
        @Override public String status() { return "/dev/vfio is absent: no VFIO on this kernel"; }
    };

    @AfterEach
    void close() {
        bus.close();
    }

    /** A function laid out as QEMU lays out virtio-net-pci: MSI-X table in BAR 1, virtio structures in BAR 4. */
    ConfigImage function() {
        ConfigImage f = ConfigImage.function("0000:00:04.0", 0x1af4, 0x1041, 0x020000, 1).subsystem(0x1af4, 0x1100)
                .bar(1, PciBar.Type.MEM32, 0xfe800000L, 4096).bar(4, PciBar.Type.MEM64, 0xfe000000L, 16384)
                .capability(0x98, PciRegs.PCI_CAP_ID_MSIX, (byte) 0x05, (byte) 0xc0, (byte) 1, (byte) 0, (byte) 0, (byte) 0,
                        (byte) 0x01, (byte) 0x08, (byte) 0, (byte) 0)
                .capability(0x40, PciRegs.PCI_CAP_ID_VNDR, (byte) 0x10, (byte) 1);
        f.config().write16(PciRegs.PCI_COMMAND, PciRegs.PCI_COMMAND_MEMORY | PciRegs.PCI_COMMAND_MASTER);
        return f.provider("emulated");
    }

    @Test
    void theShortListingIsOneLinePerFunctionWithProviderAndDriverThenTheProviders() throws Exception {
        engine.addDriver("vdpa_hw_pci", "(pci.vendor=6900)", 0, new PciDriver() {
            @Override public void probe(PciDevice device, DeviceContext context) {}
            @Override public void remove(PciDevice device, DeviceContext context) {}
        });
        bus.register(function(), Map.of());
        engine.awaitState("0000:00:04.0", BindingState.BOUND);
        String text = text(Lspci.of(bus, List.of(vfio)), false);
        assertThat(text).isEqualTo("""
                0000:00:04.0 Ethernet controller [0200]: Red Hat, Inc. Device [1af4:1041] (rev 01) provider emulated driver vdpa_hw_pci
                provider vfio: /dev/vfio is absent: no VFIO on this kernel""");
    }

    @Test
    void theVerboseListingDecodesRegionsCapabilitiesAndCounters() throws Exception {
        ConfigImage f = function();
        bus.register(new CountingImage(f), Map.of());
        String text = text(Lspci.of(bus, List.of()), true);
        assertThat(text).isEqualTo("""
                0000:00:04.0 Ethernet controller [0200]: Red Hat, Inc. Device [1af4:1041] (rev 01)
                \tSubsystem: Red Hat, Inc. Device [1af4:1100]
                \tProvider: emulated
                \tControl: I/O- Mem+ BusMaster+
                \tRegion 1: Memory at fe800000 (32-bit, non-prefetchable) [size=4K]
                \tRegion 4: Memory at fe000000 (64-bit, prefetchable) [size=16K]
                \tCapabilities: [98] MSI-X: Enable+ Count=6 Masked+ Vector table: BAR=1 offset=00000000 PBA: BAR=1 offset=00000800
                \tCapabilities: [40] Vendor Specific Information: Len=10
                \tCounters: a_refused=1 b_refused=2""");
    }

    @Test
    void aBrokenCapabilityListIsShownWithWhereItBroke() throws Exception {
        ConfigImage f = function();
        f.config().write8(0x41, 0x98);
        bus.register(f, Map.of());
        Lspci l = Lspci.of(bus, List.of());
        assertThat(l.functions().get(0).capabilityProblem()).isEqualTo("capability list loops back to 0x98");
        assertThat(text(l, true)).contains("\tCapabilities: <broken: capability list loops back to 0x98>");
    }

    @Test
    void jsonCarriesTheSameRecords() throws Exception {
        bus.register(function(), Map.of());
        String json = Listing.of(List.of(Lspci.of(bus, List.of(vfio))), LspciFormat.SHORT).asJson(true).toJson();
        assertThat(json).startsWith("{\"functions\":[{\"slot\":\"0000:00:04.0\",\"classCode\":131072,\"vendor\":6900,\"device\":4161,")
                .contains("\"bars\":[{\"index\":1,\"type\":\"32-bit\",\"prefetchable\":false,\"address\":4269801472,\"size\":4096}")
                .contains("{\"offset\":152,\"id\":17,\"name\":\"MSI-X\"")
                .endsWith("\"providers\":[{\"name\":\"vfio\",\"status\":\"/dev/vfio is absent: no VFIO on this kernel\"}]}");
    }

    /** What the shell prints for this report. */
    static String text(Lspci l, boolean verbose) {
        return Listing.of(List.of(l), verbose ? LspciFormat.VERBOSE : LspciFormat.SHORT).toText();
    }

    @Test
    void sizesPrintAsLspciPrintsThem() {
        assertThat(LspciFormat.size(512)).isEqualTo("512");
        assertThat(LspciFormat.size(16384)).isEqualTo("16K");
        assertThat(LspciFormat.size(4L << 20)).isEqualTo("4M");
        assertThat(LspciFormat.size(1536)).isEqualTo("1536");
    }

    /** The image with two provider counters. */
    static final class CountingImage implements PciDevice {
        final ConfigImage f;

        CountingImage(ConfigImage f) {
            this.f = f;
        }

        @Override public pci.bus.PciAddress address() { return f.address(); }
        @Override public String provider() { return f.provider(); }
        @Override public pci.bus.PciRegion config() { return f.config(); }
        @Override public List<PciBar> bars() { return f.bars(); }
        @Override public java.util.Optional<pci.bus.PciMsix> msix() { return f.msix(); }
        @Override public pci.bus.PciDma dma() { return f.dma(); }
        @Override public Map<String, Long> counters() { return Map.of("b_refused", 2L, "a_refused", 1L, "c_zero", 0L); }
    }
}
