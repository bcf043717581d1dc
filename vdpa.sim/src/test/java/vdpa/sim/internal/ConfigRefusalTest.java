package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vdpa.bus.VdpaRefusal;

/**
 * Configurations as a new user writes them, wrong: each is refused without failing the component
 * (DS would print a stack trace), logged once on one line naming the file and the reason, and
 * listed by the management device until the configuration goes.
 */
class ConfigRefusalTest {

    static final String FILE = "file:/opt/busbar/deploy/vdpa.sim.net-bad.cfg";

    final FakeVdpaBus bus = new FakeVdpaBus();
    final SimNetMgmtDevice mgmt = new SimNetMgmtDevice(bus);
    final List<LogRecord> log = new CopyOnWriteArrayList<>();
    final Logger jul = Logger.getLogger("vdpa.sim");
    final Handler capture = new Handler() {
        @Override public void publish(LogRecord r) { log.add(r); }
        @Override public void flush() {}
        @Override public void close() {}
    };

    @BeforeEach
    void listen() {
        jul.addHandler(capture);
    }

    @AfterEach
    void close() {
        jul.removeHandler(capture);
        mgmt.deactivate();
    }

    /** A component activated as DS does it: the configuration's properties as File Install gives them. */
    SimNetConfigComponent fromFile(String file, Map<String, Object> values) {
        Map<String, Object> p = new HashMap<>(values);
        p.put(SimNetConfigComponent.FILEINSTALL_FILENAME, file);
        p.put("service.pid", "vdpa.sim.net~" + SimNetConfigComponent.alias(p));
        p.put("service.factoryPid", "vdpa.sim.net");
        p.put("component.name", SimNetConfigComponent.class.getName());
        p.put("component.id", 7L);
        return new SimNetConfigComponent(mgmt, MgmtDeviceTest.config(p), p);
    }

    /** The reason a file with these values is refused for, checking that nothing was created. */
    String refusal(Map<String, Object> values) {
        log.clear();
        SimNetConfigComponent c = fromFile(FILE, values);
        assertThat(bus.devices).as("created nothing").doesNotContainKey("bad");
        assertThat(mgmt.refusals()).extracting(VdpaRefusal::source).containsExactly("/opt/busbar/deploy/vdpa.sim.net-bad.cfg");
        String reason = mgmt.refusals().get(0).reason();
        assertThat(log).as("logged once").hasSize(1);
        String line = java.text.MessageFormat.format(log.get(0).getMessage(), log.get(0).getParameters());
        assertThat(line).isEqualTo("vdpasim_net refused /opt/busbar/deploy/vdpa.sim.net-bad.cfg: " + reason).doesNotContain("\n");
        assertThat(log.get(0).getThrown()).isNull();
        c.deactivate();
        assertThat(mgmt.refusals()).as("withdrawn with its configuration").isEmpty();
        return reason;
    }

    @Test
    void aMacThatIsNotSixHexOctets() {
        assertThat(refusal(Map.of("mac", "zz"))).isEqualTo("invalid mac 'zz': expected 6 colon-separated octets, got 1");
        assertThat(refusal(Map.of("mac", "52:54:00:12:34:5g"))).isEqualTo("invalid mac '52:54:00:12:34:5g': octet '5g' is not two hex digits");
    }

    @Test
    void anMtuThatIsNotANumberOrOutOfRange() {
        assertThat(refusal(Map.of("mtu", "abc"))).isEqualTo("invalid mtu 'abc': not a whole number");
        assertThat(refusal(Map.of("mtu", "20"))).isEqualTo("invalid mtu 20: must be 68..65535");
        assertThat(refusal(Map.of("mtu", "99999999999"))).isEqualTo("invalid mtu '99999999999': not a whole number");
    }

    @Test
    void queuePairsOutOfRange() {
        assertThat(refusal(Map.of("max_vqp", "0"))).startsWith("invalid max_vqp 0");
        assertThat(refusal(Map.of("max_vqp", "17"))).isEqualTo("max_vqp 17 exceeds 16");
        assertThat(refusal(Map.of("max_vqp", "two"))).isEqualTo("invalid max_vqp 'two': not a whole number");
    }

    @Test
    void aNameAlreadyTaken() {
        SimNetConfigComponent first = fromFile("file:/opt/busbar/deploy/vdpa.sim.net-vdpa0.cfg", Map.of());
        assertThat(refusal(Map.of("name", "vdpa0"))).isEqualTo("device name 'vdpa0' is already taken");
        assertThat(bus.devices).as("the first stays").containsOnlyKeys("vdpa0");
        first.deactivate();
        assertThat(bus.devices).isEmpty();
    }

    @Test
    void anUnknownPropertyIsATypoNotSomethingToIgnore() {
        assertThat(refusal(Map.of("mtus", "9000"))).isEqualTo("unknown property 'mtus' (known: name, mac, mtu, max_vqp, link, driver_override)");
    }

    @Test
    void aBadLinkOrName() {
        assertThat(refusal(Map.of("link", "wire:eth0"))).startsWith("invalid link 'wire:eth0'");
        assertThat(refusal(Map.of("link", "tap:a234567890123456"))).startsWith("invalid link 'tap:a234567890123456'")
                .contains("IFNAMSIZ");
        assertThat(refusal(Map.of("name", "-x"))).startsWith("invalid name '-x'");
    }

    @Test
    void aConfigurationWithoutNameOrFileIsNamedByItsPid() {
        Map<String, Object> p = Map.of("service.pid", "vdpa.sim.net.42", "mac", "02:00:00:00:00:01");
        SimNetConfigComponent c = new SimNetConfigComponent(mgmt, MgmtDeviceTest.config(p), p);
        assertThat(mgmt.refusals()).containsExactly(new VdpaRefusal("configuration vdpa.sim.net.42",
                "no name and no file alias (vdpa.sim.net-<alias>.cfg)"));
        c.deactivate();
        assertThat(mgmt.refusals()).isEmpty();
    }

    @Test
    void namespacedPropertiesAndAGoodFileAreAccepted() {
        SimNetConfigComponent c = fromFile("file:/opt/busbar/deploy/vdpa.sim.net-vdpa5.cfg",
                Map.of("mtu", "9000", "max_vqp", "4", "mac", "02:00:00:00:00:05", "mgmtdev.target", "(vdpa.mgmtdev=*)"));
        assertThat(mgmt.refusals()).isEmpty();
        assertThat(log).isEmpty();
        assertThat(bus.device("vdpa5").orElseThrow().vqCount()).isEqualTo(9);
        c.deactivate();
        assertThat(bus.devices).isEmpty();
    }

    @Test
    void aDeviceDeletedByHandLeavesNothingForItsConfigurationToDo() throws Exception {
        SimNetConfigComponent c = fromFile("file:/opt/busbar/deploy/vdpa.sim.net-vdpa6.cfg", Map.of());
        mgmt.delete("vdpa6");
        c.deactivate();
        assertThat(bus.devices).isEmpty();
    }

    @Test
    void theKnownPropertiesAreTheConfigurationTypesAttributes() {
        // DS names an attribute max__vqp max_vqp
        assertThat(Arrays.stream(SimNetConfig.class.getDeclaredMethods()).map(Method::getName).map(n -> n.replace("__", "_")))
                .containsExactlyInAnyOrderElementsOf(SimNetConfigComponent.PROPERTIES);
    }
}
