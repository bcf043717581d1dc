package pci.emul.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BindingState;
import driver.core.BusException;
import driver.core.DeviceContext;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pci.bus.PciAddress;
import pci.bus.PciConstants;
import pci.bus.PciDevice;
import pci.bus.PciDriver;
import pci.bus.internal.InMemoryPciBus;
import vdpa.sim.internal.SimFixture;

/** The provider, its configurations and its command, over the real PCI bus and simulator, without a framework. */
class EmulProviderTest {

    static final PciAddress SLOT = PciAddress.parse("0000:00:04.0");

    final InMemoryPciBus bus = new InMemoryPciBus();
    final SimFixture sim = new SimFixture();
    final EmulProvider provider = new EmulProvider(bus, sim.models());
    final EmulCommands commands = new EmulCommands(provider);

    @AfterEach
    void close() {
        provider.deactivate();
        sim.close();
        bus.close();
    }

    @Test
    void anAddedFunctionIsOnTheBusWithTheIdsOfAModernVirtioNetFunction() throws Exception {
        provider.add(FunctionSpec.of("0000:00:04.0", null, 9000, 2, "loopback"));
        bus.awaitState("0000:00:04.0", BindingState.UNBOUND);
        assertThat(bus.published("0000:00:04.0")).containsEntry(PciConstants.VENDOR, 0x1af4)
                .containsEntry(PciConstants.DEVICE, 0x1041).containsEntry(PciConstants.CLASS, 0x020000)
                .containsEntry(PciConstants.REVISION, 1).containsEntry(PciConstants.PROVIDER, "emulated");
        assertThat(provider.list()).singleElement().satisfies(i -> {
            assertThat(i.model()).isEqualTo("pci-0000:00:04.0");
            assertThat(i.mtu()).isEqualTo(9000);
            assertThat(i.maxVqp()).isEqualTo(2);
            assertThat(i.link()).isEqualTo("loopback");
        });
        assertThat(provider.status()).isEqualTo("1 function");
        assertThatThrownBy(() -> provider.add(FunctionSpec.of("0000:00:04.0", null, 1500, 1, "loopback")))
                .isInstanceOf(BusException.class).hasMessageContaining("already taken");
    }

    @Test
    void deletingAFunctionIsAHotUnplugItsDriverLetsGoWhileTheFunctionStillAnswers() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        bus.addDriver("d", "(pci.vendor=6900)", new PciDriver() {
            @Override public void probe(PciDevice device, DeviceContext context) { seen.add("probe"); }
            @Override public void remove(PciDevice device, DeviceContext context) {
                seen.add("remove, vendor " + Integer.toHexString(device.config().read16(0)));
            }
        });
        provider.add(FunctionSpec.of("0000:00:04.0", null, 1500, 1, "cable:w"));
        bus.awaitState("0000:00:04.0", BindingState.BOUND);
        EmulatedFunction f = provider.function(SLOT);
        provider.delete(SLOT);
        assertThat(seen).containsExactly("probe", "remove, vendor 1af4");
        assertThat(bus.devices()).isEmpty();
        assertThat(provider.list()).isEmpty();
        assertThat(f.model().getStatus()).isZero();
        // its cable end is free again: another device may take it
        sim.device("vdpa9", "02:00:00:00:00:09", 1, "cable:w");
        assertThatThrownBy(() -> provider.delete(SLOT)).hasMessageContaining("no emulated function");
    }

    @Test
    void aFunctionTheSimulatorRefusesLeavesNothingBehind() throws Exception {
        sim.device("a", "02:00:00:00:00:0a", 1, "cable:full");
        sim.device("b", "02:00:00:00:00:0b", 1, "cable:full");
        assertThatThrownBy(() -> provider.add(FunctionSpec.of("0000:00:05.0", null, 1500, 1, "cable:full")))
                .hasMessageContaining("already joins");
        assertThat(bus.devices()).isEmpty();
        provider.add(FunctionSpec.of("0000:00:05.0", null, 1500, 1, "loopback"));
        assertThat(provider.list()).hasSize(1);
    }

    @Test
    void configurationsMakeAndUnplugFunctionsAndARefusedOneIsListedUntilItGoes() throws Exception {
        EmulConfigComponent ok = new EmulConfigComponent(provider, config(Map.of("slot", "0000:00:04.0", "max__vqp", 2,
                "mac", "52:54:00:00:00:04")), Map.of("service.pid", "pci.emul.net~a"));
        assertThat(provider.list()).extracting(EmulProvider.Info::mac).containsExactly("52:54:00:00:00:04");
        EmulConfigComponent bad = new EmulConfigComponent(provider, config(Map.of("slot", "0000:00:04")),
                Map.of("service.pid", "pci.emul.net~b", "felix.fileinstall.filename", "file:/deploy/pci.emul.net-b.cfg"));
        EmulConfigComponent unknown = new EmulConfigComponent(provider, config(Map.of("slot", "0000:00:06.0")),
                Map.of("service.pid", "pci.emul.net~c", "speed", 10));
        assertThat(provider.refusals()).extracting(EmulProvider.Refusal::reason)
                .containsExactly("invalid PCI address '0000:00:04': expected domain:bus:device.function, e.g. 0000:00:04.0",
                        "unknown property 'speed' (known: slot, mac, mtu, max_vqp, link)");
        assertThat(provider.status()).isEqualTo("1 function, 2 configuration(s) refused (pci:emul show)");
        assertThat(commands.emul(false).toText())
                .contains("REFUSED  -                 /deploy/pci.emul.net-b.cfg: invalid PCI address");
        bad.deactivate();
        unknown.deactivate();
        assertThat(provider.refusals()).isEmpty();
        ok.deactivate();
        assertThat(provider.list()).isEmpty();
    }

    @Test
    void theCommandAddsShowsAndDeletesAndRefusesWithOneLine() {
        assertThat(commands.emul(false, "add", "0000:00:07.0", "mac", "52:54:00:00:00:07", "link", "cable:x").records())
                .extracting(EmulCommands.Row::slot).containsExactly("0000:00:07.0");
        String shown = commands.emul(false).toText();
        assertThat(shown).contains("SLOT").contains("0000:00:07.0  pci-0000:00:07.0  52:54:00:00:00:07  1500  1        cable:x  down");
        assertThat(commands.emul(true, "show").render()).startsWith("[{\"slot\":\"0000:00:07.0\",\"model\":\"pci-0000:00:07.0\"");
        assertThatThrownBy(() -> commands.emul(false, "add", "0000:00:07.0")).hasMessage("slot 0000:00:07.0 is already taken");
        assertThatThrownBy(() -> commands.emul(false, "add", "0000:00:08.0", "speed", "1")).hasMessageContaining("unknown argument 'speed'");
        assertThatThrownBy(() -> commands.emul(false, "add", "0000:00:08.0", "mtu", "x")).hasMessageContaining("not a decimal number");
        assertThatThrownBy(() -> commands.emul(false, "add", "0000:00:08.0", "max_vqp", "17")).hasMessageContaining("max_vqp 17");
        assertThatThrownBy(() -> commands.emul(false, "del")).hasMessage("usage: emul del <slot>");
        assertThatThrownBy(() -> commands.emul(false, "frob")).hasMessageContaining("unknown emul command 'frob'");
        assertThat(commands.emul(false, "del", "0000:00:07.0")).isNull();
        assertThat(provider.list()).isEmpty();
        assertThat(bus.published("0000:00:07.0")).isNull();
    }

    static EmulNetConfig config(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        return (EmulNetConfig) Proxy.newProxyInstance(EmulNetConfig.class.getClassLoader(), new Class<?>[] {EmulNetConfig.class},
                (proxy, m, args) -> p.containsKey(m.getName()) ? p.get(m.getName()) : m.getDefaultValue());
    }
}
