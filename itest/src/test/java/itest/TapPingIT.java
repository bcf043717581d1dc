package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import virtio.net.api.NetDevice;
import virtio.net.api.NetDeviceConstants;

/**
 * The host pings the runtime. A simulated NIC whose wire is a TAP interface in a network namespace
 * this test makes, bound up to a NetDevice through virtio_vdpa and virtio_net, with the responder
 * on 10.0.3.1/24; inside the namespace the TAP gets 10.0.3.2/24, and the kernel's own ping gets
 * three answers. 10.0.3.0/24 exists only in that namespace and in busbar's datapath. Needs root,
 * /dev/net/tun, iproute2 and ping.
 */
@RunWith(PaxExam.class)
public class TapPingIT {

    static final String MAC = "52:54:00:00:00:0c";
    static final String TAP = "bbtap0";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, "virtio.spec", "virtio.ring", "vdpa.bus", "virtio.bus",
                "virtio.net.api", "virtio.vdpa", "linux.ffm", "vdpa.sim", "virtio.net", "net.responder")};
    }

    @Test
    public void theKernelInANamespacePingsTheResponderThroughATapLink() throws Exception {
        HostNamespace.requirePeers("ip", "ping");
        org.osgi.service.cm.Configuration device = null;
        ServiceTracker<NetDevice, NetDevice> nets = new ServiceTracker<>(context, NetDevice.class, null);
        nets.open();
        try (HostNamespace ns = new HostNamespace(); Shell shell = new Shell(context)) {
            device = configAdmin.createFactoryConfiguration("vdpa.sim.net", "?");
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("name", "vdpa0");
            p.put("mac", MAC);
            p.put("link", "tap:" + TAP + "@" + ns.name);
            device.update(p);
            Await.until("a NetDevice with MAC " + MAC, () -> shell.tryRun("net:link"), () -> net(nets) != null,
                    Duration.ofSeconds(20));
            String eth = net(nets).name();
            Await.until("the net:addr command", () -> shell.tryRun("net:addr"), () -> shell.tryRun("net:addr").contains(eth));
            shell.run("net:addr " + eth + " 10.0.3.1/24");

            ns.exec("ip", "addr", "add", "10.0.3.2/24", "dev", TAP);
            ns.exec("ip", "link", "set", TAP, "up");
            String ping = ns.exec("ping", "-c", "3", "-W", "2", "10.0.3.1");
            assertTrue(ping, ping.contains("3 packets transmitted, 3 received"));

            String addr = shell.run("net:addr " + eth);
            assertTrue(addr, addr.contains("inet 10.0.3.1/24"));
            List<String> counters = List.of(addr.lines().filter(l -> l.contains("echo_replies")).findFirst().orElseThrow()
                    .trim().split("\\s+"));
            assertEquals(addr, "3", counters.get(counters.indexOf("echo_replies") + 1));
            assertNotEquals(addr, "0", counters.get(counters.indexOf("arp_replies") + 1));
            for (int i = 0; i < counters.size(); i += 2) {
                if (counters.get(i).startsWith("drop_")) {
                    assertEquals(addr, "0", counters.get(i + 1));
                }
            }
            String json = shell.run("net:addr -j " + eth);
            assertTrue(json, json.contains("\"echo_replies\":3"));
            String sim = shell.run("vdpasim:show");
            assertTrue(sim, sim.contains("vdpa0 tap:" + TAP + "@" + ns.name + ": tap_to_host_frames "));

            // the kernel's view: the TAP received our replies and sent the requests
            String stats = ns.exec("ip", "-s", "-o", "link", "show", TAP);
            assertTrue(stats, stats.contains(TAP));

            device.delete();
            device = null;
            Await.until("the TAP gone with its device", () -> HostNamespace.run(List.of("ip", "netns", "exec", ns.name,
                    "ip", "link", "show", TAP)).output(), () -> HostNamespace.run(List.of("ip", "netns", "exec", ns.name,
                    "ip", "link", "show", TAP)).status() != 0);
        } finally {
            if (device != null) {
                device.delete();
            }
            nets.close();
        }
        String name = "busbar-test-" + ProcessHandle.current().pid();
        assertFalse("namespace left behind", HostNamespace.run(List.of("ip", "netns", "list")).output().contains(name));
        assertFalse("TAP left behind", HostNamespace.run(List.of("ip", "-o", "link", "show", "type", "tun")).output()
                .contains(TAP));
    }

    private static NetDevice net(ServiceTracker<NetDevice, NetDevice> nets) {
        var refs = nets.getServiceReferences();
        if (refs != null) {
            for (var ref : refs) {
                if (MAC.equals(ref.getProperty(NetDeviceConstants.NET_MAC))) {
                    return nets.getService(ref);
                }
            }
        }
        return null;
    }
}
