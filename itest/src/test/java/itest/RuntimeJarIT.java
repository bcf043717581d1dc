package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import interop.peer.Busbar;
import itest.fixture.Probe;
import itest.fixture.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The executable runtime (runtime/target/busbar.jar) as a person runs it: started with
 * {@code java -jar} in a folder with {@code deploy/}, driven through Gogo on stdin. Every bundle
 * starts; bundles dropped into deploy/ are installed and bind; a driver jar deleted from deploy/
 * unbinds; the end of input stops the framework with the launcher's normal exit code, 117.
 */
public class RuntimeJarIT {
    private static final Duration STEP = RuntimeJar.STEP;

    private Path home;
    private Busbar runtime;

    @Before
    public void start() throws IOException {
        home = RuntimeJar.newHome("runtime-");
        Files.createDirectories(home.resolve("deploy"));
        runtime = RuntimeJar.start(home);
    }

    @After
    public void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        RuntimeJar.deleteTree(home);
    }

    @Test
    public void startsEveryBundleHotDeploysDriversAndStopsCleanly() throws Exception {
        String lb = awaitAnswer("lb", out -> out.contains("Gogo Shell"));
        for (String bundle : List.of("System Bundle", "Declarative Services", "Configuration Admin", "EventAdmin",
                "File Install", "Gogo Runtime", "Gogo Command", "Gogo Shell", "runtime.boot", "Gson", "shell.format", "linux.ffm",
                "driver.core", "virtio.spec", "virtio.ring", "vdpa.bus", "virtio.bus", "virtio.net.api", "virtio.vdpa", "vdpa.sim",
                "virtio.net", "vhost.uapi", "net.responder", "pci.bus",
                "pci.emul", "vdpa.hw.pci", "pci.vfio")) {
            assertTrue(bundle + " listed and active:\n" + lb,
                    lb.lines().anyMatch(l -> l.contains(bundle) && l.contains("|Active")));
        }
        assertTrue("no bundle left inactive:\n" + lb,
                lb.lines().filter(l -> l.matches("\\s*\\d+\\|.*")).allMatch(l -> l.contains("|Active")));

        // The fixture bundle brings the "test" bus; then a board of devices, then a driver.
        Files.copy(Paths.get(BusbarOptions.required("busbar.bundle.itest")), home.resolve("deploy/itest.jar"));
        Files.write(home.resolve("deploy/board.jar"), TestBundles.devices("board", "dev0;vendor=1"));
        awaitAnswer("bus:devices test", out -> cells(out, "dev0").contains("unbound"));

        Path driver = home.resolve("deploy/hot.jar");
        Path partial = home.resolve("hot.jar.part");
        Files.write(partial, TestBundles.driver("hot", "(vendor=1)", 0, Probe.succeed()));
        Files.move(partial, driver, StandardCopyOption.ATOMIC_MOVE);
        String bound = awaitAnswer("bus:devices test", out -> cells(out, "dev0").equals(List.of("test", "dev0", "bound", "hot", "-", "-")));
        assertTrue(bound, cells(bound, "dev0").contains("hot"));

        Files.delete(driver);
        awaitAnswer("bus:devices test", out -> cells(out, "dev0").equals(List.of("test", "dev0", "unbound", "-", "-", "-")));

        runtime.endInput(); // Gogo stops the framework
        assertEquals("exit code (117 = framework stopped normally); output:\n" + runtime.output(), 117,
                runtime.process().waitFor(STEP));
    }

    @Test
    public void defaultConfigurationsBringUpTwoCabledNicsBoundUpToNetDevicesAndDeletingOneTearsItDown() throws Exception {
        // Dropped at once, while File Install may still be in its first scan. With its write-back
        // on, File Install rewrote each file after applying it, and its scanner could read the file
        // while that rewrite had it truncated: the configuration then became empty (a device with
        // default attributes, an empty file). The runtime turns the write-back off; the files must
        // stay exactly as dropped, down to their modification time.
        Path defaults = Paths.get(BusbarOptions.required("busbar.runtime.defaults"));
        FileTime dropped = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        List<Path> sources;
        try (var files = Files.list(defaults)) {
            sources = files.filter(f -> f.toString().endsWith(".cfg")).toList();
        }
        for (Path cfg : sources) {
            // Whole files only: File Install must never read a half-written configuration.
            Path partial = home.resolve(cfg.getFileName() + ".part");
            Files.copy(cfg, partial);
            Files.setLastModifiedTime(partial, dropped);
            Files.move(partial, home.resolve("deploy").resolve(cfg.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        awaitAnswer("bus:devices vdpa", out -> cells(out, "vdpa0").equals(List.of("vdpa", "vdpa0", "bound", "virtio_vdpa", "-", "-"))
                && cells(out, "vdpa1").equals(List.of("vdpa", "vdpa1", "bound", "virtio_vdpa", "-", "-")));
        // the attributes the files set, not defaults: two queue pairs each (max_vqs 5 = 2 pairs + control)
        awaitAnswer("vdpa:dev show -j", out -> out.contains("\"vdpa0\"") && out.contains("\"vdpa1\"")
                && out.split("\"max_vqs\":5", -1).length == 3);
        for (Path cfg : sources) {
            Path deployed = home.resolve("deploy").resolve(cfg.getFileName());
            assertEquals(deployed + " was rewritten", dropped, Files.getLastModifiedTime(deployed));
            assertTrue(deployed + " changed", Arrays.equals(Files.readAllBytes(cfg), Files.readAllBytes(deployed)));
        }
        awaitAnswer("bus:devices virtio", out -> cells(out, "virtio0").containsAll(List.of("bound", "virtio_net"))
                && cells(out, "virtio1").containsAll(List.of("bound", "virtio_net")));
        String links = awaitAnswer("net:link", out -> out.contains("52:54:00:12:34:00") && out.contains("52:54:00:12:34:01"));
        assertTrue(links, links.contains("eth0") && links.contains("eth1"));

        Files.delete(home.resolve("deploy/vdpa.sim.net-vdpa0.cfg"));
        awaitAnswer("bus:devices vdpa", out -> out.contains("vdpa1") && cells(out, "vdpa0").isEmpty());
        awaitAnswer("net:link", out -> out.contains("52:54:00:12:34:01") && !out.contains("52:54:00:12:34:00"));
    }

    private String awaitAnswer(String command, Predicate<String> answer) {
        return runtime.awaitShell(command, answer, STEP);
    }

    private static List<String> cells(String table, String device) {
        return RuntimeJar.cells(table, device);
    }
}
