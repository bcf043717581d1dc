package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.BundleContext;

/**
 * The iproute2-style {@code vdpa} commands in a real Felix: a device added from the shell is bound
 * all the way up to a NetDevice; deleted, its stack goes; bad arguments change nothing.
 */
@RunWith(PaxExam.class)
public class VdpaShellIT {

    @Inject
    BundleContext context;

    private Shell shell;

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, "virtio.ring", "virtio.net.api", "vdpa.bus",
                "virtio.bus", "virtio.vdpa", "vdpa.sim", "virtio.net")};
    }

    @Before
    public void openShell() throws Exception {
        shell = new Shell(context);
        Await.until("the vdpasim_net management device", () -> shell.tryRun("vdpa:mgmtdev show"),
                () -> shell.tryRun("vdpa:mgmtdev show").contains("vdpasim_net"));
    }

    @After
    public void closeShell() {
        shell.close();
    }

    @Test
    public void devAddBindsTheWholeStackAndDevDelTearsItDown() throws Exception {
        shell.run("vdpa:dev add name vdpa7 mgmtdev vdpasim_net mac 52:54:00:aa:bb:07 max_vqp 2");

        Await.until("vdpa7 bound by virtio_vdpa", () -> shell.tryRun("bus:devices vdpa"),
                () -> Shell.line(shell.tryRun("bus:devices vdpa"), "vdpa7").equals(List.of("vdpa", "vdpa7", "bound", "virtio_vdpa", "-", "-")));
        Await.until("a NetDevice with the MAC", () -> shell.tryRun("net:link"),
                () -> shell.tryRun("net:link").contains("52:54:00:aa:bb:07"));
        String dev = shell.run("vdpa:dev show vdpa7");
        assertTrue(dev, dev.startsWith("vdpa7: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 5"));
        assertTrue(dev, dev.trim().endsWith("driver virtio_vdpa"));
        String json = shell.run("vdpa:dev show -j vdpa7");
        assertTrue(json, json.contains("\"vdpa7\":{\"type\":\"network\",\"mgmtdev\":\"vdpasim_net\""));

        shell.run("vdpa:dev del vdpa7");
        assertEquals("", shell.run("vdpa:dev show").trim());
        assertEquals("only the header line left:\n" + shell.run("bus:devices virtio"), 1, shell.run("bus:devices virtio").lines().count());
        Await.until("the NetDevice gone", () -> shell.tryRun("net:link"), () -> !shell.tryRun("net:link").contains("52:54:00:aa:bb:07"));
        String links = shell.run("net:link"); // the command still answers: the device is gone, not the command
        assertFalse(links, links.contains("52:54:00:aa:bb:07"));
    }

    @Test
    public void badArgumentsAreRefusedWithTheReasonAndChangeNothing() throws Exception {
        assertEquals("invalid mac '52:54:00:aa:bb': expected 6 colon-separated octets, got 5",
                shell.runExpectingError("vdpa:dev add name vdpa8 mgmtdev vdpasim_net mac 52:54:00:aa:bb"));
        assertTrue(shell.runExpectingError("vdpa:dev add name vdpa8 mgmtdev nosuch"),
                shell.runExpectingError("vdpa:dev add name vdpa8 mgmtdev nosuch").contains("nosuch"));
        assertTrue(shell.runExpectingError("vdpa:dev del vdpa9"), shell.runExpectingError("vdpa:dev del vdpa9").contains("vdpa9"));
        assertEquals("", shell.run("vdpa:dev show").trim());
    }
}
