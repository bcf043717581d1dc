package vhost.uapi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.DeviceContext;
import java.nio.file.Path;
import java.util.Map;
import linux.ffm.LinuxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vdpa.bus.VdpaDevice;
import vdpa.sim.internal.SimRig;
import vhost.uapi.VhostUapi;
import virtio.spec.DeviceStatus;

/** Probe serves a device where the configuration says; remove disconnects its front-end and leaves nothing. */
class VhostVdpaDriverTest {

    @TempDir
    Path dir;

    static DeviceContext context(String name) {
        return new DeviceContext() {
            @Override public String bus() { return "vdpa"; }
            @Override public String name() { return name; }
            @Override public Map<String, Object> properties() { return Map.of(); }
        };
    }

    @Test
    void probeServesOnTheConfiguredSocketAndRemoveLeavesNothing() throws Exception {
        Path custom = dir.resolve("vm1").resolve("net0.sock");
        VhostVdpaDriver driver = new VhostVdpaDriver(new VhostSettings(Map.of(VhostUapi.PROP_SOCKET_DIR, dir.resolve("socks").toString(),
                "vdpa1" + VhostUapi.SUFFIX_SOCKET, custom.toString()), dir.resolve("run")));
        try (SimRig sim = new SimRig()) {
            VdpaDevice a = sim.device("vdpa0", Rig.MAC_A, 1, "loopback");
            VdpaDevice b = sim.device("vdpa1", Rig.MAC_B, 1, "loopback");
            driver.probe(a, context("vdpa0"));
            driver.probe(b, context("vdpa1"));
            assertThat(dir.resolve("socks").resolve("vdpa0.sock")).exists();
            assertThat(custom).exists();
            assertThat(driver.list()).extracting(e -> e.device() + " " + e.state()).containsExactly("vdpa0 listening", "vdpa1 listening");
            String text = VhostCommands.format(driver.list());
            assertThat(text).contains("vdpa0: " + dir.resolve("socks").resolve("vdpa0.sock") + " server listening");

            TestFrontend fe = new TestFrontend(custom);
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            fe.ring(0, 256, true);
            fe.ring(1, 256, true);
            fe.driverOk();
            TestFrontend.await(() -> driver.list().get(1).session() != null && driver.list().get(1).session().rings().size() == 2,
                    "the session");
            String json = new VhostCommands(driver).show(true, "vdpa1").render();
            assertThat(json).startsWith("[{\"device\":\"vdpa1\"").contains("\"state\":\"connected\"").contains("\"rings\":[{");
            String shown = VhostCommands.format(driver.list());
            assertThat(shown).contains("vdpa1: " + custom + " server connected frontend pid " + ProcessHandle.current().pid())
                    .contains("RING").contains("USER_ADDR").contains("0x" + Long.toHexString(TestFrontend.GPA));
            assertThat(DeviceStatus.DRIVER_OK.in(driver.list().get(1).session().status())).isTrue();

            driver.remove(b, context("vdpa1"));
            assertThatThrownBy(fe::reply).as("the front-end is disconnected").isInstanceOf(LinuxException.class);
            assertThat(custom).doesNotExist();
            assertThat(b.getStatus()).isZero();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vhost-vdpa1"));
            assertThat(HostileFrontendTest.mappingsOf("memfd:guest")).as("only the front-end's own").isEqualTo(1);
            fe.close();
            driver.remove(a, context("vdpa0"));
            assertThat(driver.list()).isEmpty();
            assertThat(VhostCommands.format(driver.list())).isEqualTo("no device is bound to vhost_vdpa");
        }
    }

    @Test
    void aSocketInUseByAnotherBackendFailsTheProbe() throws Exception {
        VhostVdpaDriver one = new VhostVdpaDriver(new VhostSettings(Map.of(), dir));
        VhostVdpaDriver two = new VhostVdpaDriver(new VhostSettings(Map.of(), dir));
        try (SimRig sim = new SimRig()) {
            VdpaDevice a = sim.device("vdpa0", Rig.MAC_A, 1, "loopback");
            one.probe(a, context("vdpa0"));
            assertThatThrownBy(() -> two.probe(a, context("vdpa0"))).hasMessageContaining("in use");
            one.remove(a, context("vdpa0"));
            // a socket file a dead backend left is replaced
            two.probe(a, context("vdpa0"));
            two.remove(a, context("vdpa0"));
        }
    }

    @Test
    void badConfigurationIsRefusedWithThePropertyName() {
        VhostSettings s = new VhostSettings(Map.of(VhostUapi.PROP_MODE, "sideways"), dir);
        assertThatThrownBy(() -> s.forDevice("vdpa0")).hasMessageContaining("mode 'sideways'");
        VhostSettings c = new VhostSettings(Map.of("vdpa0.mode", "client", VhostUapi.PROP_RECONNECT_MAX_MS, "800"), dir);
        assertThat(c.forDevice("vdpa0").client()).isTrue();
        assertThat(c.forDevice("vdpa0").reconnectMaxMillis()).isEqualTo(800);
        assertThat(c.forDevice("vdpa1").client()).isFalse();
        assertThat(c.forDevice("vdpa1").socket()).isEqualTo(dir.resolve("vhost").resolve("vdpa1.sock"));
    }
}
