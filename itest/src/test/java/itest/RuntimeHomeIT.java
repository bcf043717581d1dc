package itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import interop.peer.Busbar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Predicate;
import org.junit.After;
import org.junit.Test;

/**
 * The runtime jar as a new user meets it: {@code java -jar busbar.jar} in an empty folder, then
 * device configurations written by hand, wrong.
 */
public class RuntimeHomeIT {

    private Path home;
    private Busbar runtime;

    @After
    public void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        RuntimeJar.deleteTree(home);
    }

    private static List<Path> defaults() throws Exception {
        try (var files = Files.list(Paths.get(BusbarOptions.required("busbar.runtime.defaults")))) {
            return files.filter(f -> f.toString().endsWith(".cfg")).sorted().toList();
        }
    }

    @Test
    public void inAnEmptyFolderTheRuntimeCreatesDeployWithTheDefaultDevicesAndBindsThem() throws Exception {
        home = RuntimeJar.newHome("empty-");
        runtime = RuntimeJar.start(home);
        awaitAnswer("bus:devices", out -> RuntimeJar.cells(out, "vdpa0").equals(List.of("vdpa", "vdpa0", "bound", "virtio_vdpa", "-", "-"))
                && RuntimeJar.cells(out, "vdpa1").equals(List.of("vdpa", "vdpa1", "bound", "virtio_vdpa", "-", "-"))
                && RuntimeJar.cells(out, "virtio0").containsAll(List.of("bound", "virtio_net"))
                && RuntimeJar.cells(out, "virtio1").containsAll(List.of("bound", "virtio_net")));
        // the default emulated PCI function, bound to vp_vdpa
        awaitAnswer("bus:devices pci", out -> RuntimeJar.cells(out, "0000:00:04.0")
                .equals(List.of("pci", "0000:00:04.0", "bound", "vp_vdpa", "-", "-")));
        List<Path> defaults = defaults();
        assertEquals(3, defaults.size());
        try (var files = Files.list(home.resolve("deploy"))) {
            assertEquals("deploy/ holds the default files and nothing else",
                    defaults.stream().map(p -> p.getFileName().toString()).toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (Path d : defaults) {
            assertArrayEquals(d.getFileName() + " as shipped", Files.readAllBytes(d), Files.readAllBytes(home.resolve("deploy").resolve(d.getFileName())));
        }
        String out = runtime.output();
        assertFalse("File Install found no folder:\n" + out, out.contains("does not exist"));
        assertTrue("the runtime says what it created:\n" + out, out.lines().anyMatch(l -> l.contains("created " + home.resolve("deploy"))
                && l.contains("pci.emul.net-slot4.cfg, vdpa.sim.net-vdpa0.cfg, vdpa.sim.net-vdpa1.cfg")));
    }

    @Test
    public void aRefusedConfigurationIsOneLogLineAndARefusedRowUntilItsFileIsFixedOrRemoved() throws Exception {
        home = RuntimeJar.newHome("refused-");
        runtime = RuntimeJar.start(home);
        Path deploy = home.resolve("deploy");
        awaitAnswer("bus:devices vdpa", out -> RuntimeJar.cells(out, "vdpa0").contains("bound"));

        // what a new user tries: a MAC that is no MAC, an MTU that is no number, a name already taken
        Path badMac = drop("vdpa.sim.net-bad.cfg", "mac=zz\n");
        Path badMtu = drop("vdpa.sim.net-big.cfg", "mtu=abc\n");
        Path taken = drop("vdpa.sim.net-again.cfg", "name=vdpa0\nlink=loopback\n");
        String show = awaitAnswer("vdpa:dev show", out -> out.contains(badMac + ": state REFUSED")
                && out.contains(badMtu + ": state REFUSED") && out.contains(taken + ": state REFUSED"));
        assertTrue(show, show.contains(badMac + ": state REFUSED mgmtdev vdpasim_net reason invalid mac 'zz': expected 6 colon-separated octets, got 1"));
        assertTrue(show, show.contains(badMtu + ": state REFUSED mgmtdev vdpasim_net reason invalid mtu 'abc': not a whole number"));
        assertTrue(show, show.contains(taken + ": state REFUSED mgmtdev vdpasim_net reason device name 'vdpa0' is already taken"));
        assertTrue("the default devices stay:\n" + show, show.contains("vdpa0: type network") && show.contains("vdpa1: type network"));

        // one log line each, naming the file and the reason; no stack trace at all
        Await.until("the three refusals logged", runtime::output, () -> refusalLines(runtime.output(), badMac) == 1
                && refusalLines(runtime.output(), badMtu) == 1 && refusalLines(runtime.output(), taken) == 1, RuntimeJar.STEP);
        String out = runtime.output();
        assertTrue(out, out.lines().anyMatch(l -> l.contains("WARNING vdpa.sim: vdpasim_net refused " + badMac
                + ": invalid mac 'zz': expected 6 colon-separated octets, got 1")));
        assertFalse("a stack trace:\n" + out, out.contains("Exception") || out.lines().anyMatch(l -> l.startsWith("\tat ")));

        // fixed, the file makes its device; removed, its refusal goes
        drop("vdpa.sim.net-bad.cfg", "mac=02:00:00:00:00:42\n");
        awaitAnswer("bus:devices vdpa", o -> RuntimeJar.cells(o, "bad").equals(List.of("vdpa", "bad", "bound", "virtio_vdpa", "-", "-")));
        Files.delete(badMtu);
        show = awaitAnswer("vdpa:dev show", o -> !o.contains(badMac + ":") && !o.contains(badMtu + ":")
                && o.contains(taken + ": state REFUSED"));
        assertTrue(show, show.contains("bad: type network mgmtdev vdpasim_net"));
        assertEquals("nothing refused again:\n" + runtime.output(), 1, refusalLines(runtime.output(), badMac));
        assertFalse(runtime.output(), runtime.output().contains("Exception"));
    }

    private String awaitAnswer(String command, Predicate<String> answer) {
        return runtime.awaitShell(command, answer, RuntimeJar.STEP);
    }

    /** Writes a whole file elsewhere and moves it in, as the README asks. */
    private Path drop(String name, String text) throws Exception {
        Path partial = home.resolve(name + ".part");
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        return Files.move(partial, home.resolve("deploy").resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Log lines reporting a refusal of {@code file}. */
    private static long refusalLines(String output, Path file) {
        return output.lines().filter(l -> l.contains("refused " + file + ":")).count();
    }
}
