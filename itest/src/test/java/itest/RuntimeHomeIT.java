package itest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.After;
import org.junit.Test;

/**
 * The runtime jar as a new user meets it: {@code java -jar busbar.jar} in an empty folder.
 */
public class RuntimeHomeIT {

    private Path home;
    private RuntimeProcess runtime;

    @After
    public void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        RuntimeProcess.deleteTree(home);
    }

    private static List<Path> defaults() throws Exception {
        try (var files = Files.list(Paths.get(BusbarOptions.required("busbar.runtime.defaults")))) {
            return files.filter(f -> f.toString().endsWith(".cfg")).sorted().toList();
        }
    }

    @Test
    public void inAnEmptyFolderTheRuntimeCreatesDeployWithTheDefaultDevicesAndBindsThem() throws Exception {
        home = RuntimeProcess.newHome("empty-");
        runtime = RuntimeProcess.start(home);
        runtime.awaitAnswer("bus:devices", out -> RuntimeProcess.cells(out, "vdpa0").equals(List.of("vdpa", "vdpa0", "bound", "virtio_vdpa", "-", "-"))
                && RuntimeProcess.cells(out, "vdpa1").equals(List.of("vdpa", "vdpa1", "bound", "virtio_vdpa", "-", "-"))
                && RuntimeProcess.cells(out, "virtio0").containsAll(List.of("bound", "virtio_net"))
                && RuntimeProcess.cells(out, "virtio1").containsAll(List.of("bound", "virtio_net")));
        List<Path> defaults = defaults();
        assertEquals(2, defaults.size());
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
                && l.contains("vdpa.sim.net-vdpa0.cfg, vdpa.sim.net-vdpa1.cfg")));
    }
}
