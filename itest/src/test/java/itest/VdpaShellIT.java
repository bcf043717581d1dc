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
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, "virtio.spec", "virtio.ring", "virtio.net.api", "vdpa.bus",
                "virtio.bus", "virtio.vdpa", "linux.ffm", "vdpa.sim", "virtio.net")};
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
    public void configShowPktgenAndMonitorWorkThroughTheShell() throws Exception {
        shell.run("vdpa:dev add name vdpa6 mgmtdev vdpasim_net mac 52:54:00:aa:bb:06 max_vqp 2");
        Await.until("a NetDevice with the MAC", () -> shell.tryRun("net:link"),
                () -> shell.tryRun("net:link").contains("52:54:00:aa:bb:06"));
        String links = shell.run("net:link");
        String eth = nameOf(links, "52:54:00:aa:bb:06");

        Await.until("vdpa6's features negotiated", () -> shell.tryRun("vdpa:dev config show vdpa6"),
                () -> shell.tryRun("vdpa:dev config show vdpa6").contains("negotiated_features"));
        String config = shell.run("vdpa:dev config show vdpa6");
        assertTrue(config, config.startsWith("vdpa6: mac 52:54:00:aa:bb:06 link up link_announce false max_vq_pairs 2 mtu 1500\n"
                + "  negotiated_features "));
        assertTrue(config, config.contains(" VERSION_1"));
        String json = shell.run("vdpa:dev config show -j vdpa6");
        assertTrue(json, json.startsWith("{\"config\":{\"vdpa6\":{\"mac\":\"52:54:00:aa:bb:06\",\"link\":\"up\","
                + "\"link_announce\":false,\"max_vq_pairs\":2,\"mtu\":1500,\"negotiated_features\":[\""));

        // the simulator loops the frames back: the monitor sees what pktgen sends
        String started = shell.run("net:pktgen " + eth + " count 0 rate 2000");
        assertTrue(started, Shell.line(started, eth).contains("running"));
        String frames = shell.run("net:monitor " + eth + " count 5 timeout 10");
        String stopped = shell.run("net:pktgen " + eth + " stop");
        assertTrue(stopped, Shell.line(stopped, eth).contains("stopped"));
        assertEquals(frames, 5, frames.lines().filter(l -> l.matches(
                "\\S+ 52:54:00:aa:bb:06 > ff:ff:ff:ff:ff:ff, ethertype Unknown \\(0x88b5\\), length 60")).count());
        String link = shell.run("net:link " + eth);
        assertTrue(link, link.contains("monitor: seen 5") && !link.contains("pktgen: sent 0 "));

        // refusals: one line each, nothing started
        assertEquals("invalid size '9': expected a whole number 60..1514", shell.runExpectingError("net:pktgen " + eth + " size 9"));
        assertEquals("Device \"eth99\" does not exist.", shell.runExpectingError("net:monitor -j eth99"));
        assertEquals("no device 'nosuch'", shell.runExpectingError("vdpa:dev config show -j nosuch"));
        assertTrue(Shell.line(shell.run("net:pktgen"), eth).contains("stopped"));

        shell.run("vdpa:dev del vdpa6");
        assertTrue(links, links.contains("pktgen: sent 0 dropped 0 busy 0  monitor: seen 0"));
    }

    /** The interface name of the net:link entry whose link/ether line holds this MAC. */
    private static String nameOf(String links, String mac) {
        List<String> lines = links.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("link/ether " + mac)) {
                return lines.get(i - 1).split(": ")[1];
            }
        }
        throw new AssertionError("no " + mac + " in:\n" + links);
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
