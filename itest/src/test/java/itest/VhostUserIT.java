package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaVendorStatsOps;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDevice;

/**
 * The userspace datapath in Felix: a simulated NIC bound to vhost_vdpa through the shell serves a
 * vhost-user front-end in another process (memfd memory, eventfds, real messages), and frames
 * cross the cable to a virtio_net NetDevice on the other NIC, both ways, every count agreeing.
 * The device moves between virtio_vdpa and vhost_vdpa and back, by unbind and bind, leaving nothing
 * behind; uninstalling vhost.uapi under a connected front-end disconnects it first.
 */
@RunWith(PaxExam.class)
public class VhostUserIT {

    static final String MAC0 = "52:54:00:00:01:0a";
    static final String MAC1 = "52:54:00:00:01:0b";
    /** The runtime folder: one per test JVM (Pax Exam's native container shares the JVM with Felix). */
    static final Path RUN_DIR = Path.of(System.getProperty("java.io.tmpdir"), "busbar-it-" + ProcessHandle.current().pid());

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    VdpaBus vdpaBus;

    ServiceTracker<NetDevice, NetDevice> nets;
    Shell shell;

    @org.junit.AfterClass
    public static void removeRunDir() throws IOException {
        if (Files.exists(RUN_DIR)) {
            try (var walk = Files.walk(RUN_DIR)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, "linux.ffm", "virtio.spec", "virtio.ring", "vdpa.bus", "virtio.bus",
                "virtio.net.api", "virtio.vdpa", "vdpa.sim", "virtio.net", "vhost.uapi"),
                frameworkProperty("busbar.runtime.dir").value(RUN_DIR.toString())};
    }

    @Before
    public void cabledPair() throws Exception {
        nets = new ServiceTracker<>(context, NetDevice.class, null);
        nets.open();
        shell = new Shell(context);
        Await.until("the vhost commands", () -> shell.tryRun("vhost:show"), () -> !shell.tryRun("vhost:show").contains("CommandNotFound"));
        device("vdpa0", MAC0, null);
        device("vdpa1", MAC1, null);
        awaitNet(MAC0);
        awaitNet(MAC1);
    }

    @After
    public void close() {
        shell.close();
        nets.close();
    }

    private void device(String name, String mac, String driverOverride) throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.createFactoryConfiguration("vdpa.sim.net", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("mac", mac);
        p.put("link", "cable:" + (driverOverride == null ? "c0" : name));
        if (driverOverride != null) {
            p.put("driver_override", driverOverride);
        }
        c.update(p);
    }

    private Path socket(String dev) {
        return Path.of(context.getProperty("busbar.runtime.dir")).resolve("vhost").resolve(dev + ".sock");
    }

    @Test
    public void framesCrossBetweenAFrontendProcessAndANetDeviceAndEveryCountAgrees() throws Exception {
        // steering commands print the device's row: BUS DEVICE STATE DRIVER OVERRIDE NOTE
        assertEquals("vhost_vdpa", Shell.line(shell.run("bus:override vdpa vdpa0 vhost_vdpa"), "vdpa0").get(4));
        awaitShown("vdpa0", "server listening");
        awaitNoNet(MAC0);
        NetDevice eth1 = awaitNet(MAC1);
        long fromFrontend = MacAddress.parse(MAC0).value();
        AtomicLong received = new AtomicLong();
        eth1.setReceiveHandler((q, frame) -> {
            if (frame.byteSize() >= 12 && source(frame) == fromFrontend) {
                received.incrementAndGet();
            }
        });
        try (Frontend fe = new Frontend(socket("vdpa0"), MAC0, MAC1, 3000, 2000)) {
            fe.awaitReady();
            assertTrue(shell.run("vhost:show vdpa0"), shell.run("vhost:show vdpa0").contains("connected frontend pid " + fe.pid()));
            new FrameSender(eth1, MacAddress.parse(MAC0), eth1.queuePairs()).send(2000, Duration.ofSeconds(60));
            assertEquals(fe.output(), 0, fe.awaitExit(Duration.ofSeconds(90)));
            assertEquals(List.of(3000L, 2000L), fe.counts());
        } finally {
            Await.until("eth1 to take every frame", received::get, () -> received.get() >= 3000);
            eth1.setReceiveHandler(null);
        }
        assertEquals(3000, received.get());
        assertEquals(3000, deviceCounter("vdpa0", 1, "tx_frames"));
        assertEquals(2000, deviceCounter("vdpa0", 0, "rx_frames"));
        Await.until("eth1's own counters", () -> eth1.stats(), () -> frames(eth1, true) >= 3000 && frames(eth1, false) >= 2000);
        assertEquals(3000, frames(eth1, true));
        assertEquals(2000, frames(eth1, false));
        awaitShown("vdpa0", "server listening");
    }

    @Test
    public void theDeviceMovesBetweenVirtioVdpaAndVhostVdpaByUnbindAndBindAndLeavesNothingBehind() throws Exception {
        Held before = Held.now();
        for (int round = 0; round < 2; round++) {
            shell.run("bus:unbind vdpa vdpa0");
            awaitNoNet(MAC0);
            assertEquals("vhost_vdpa", Shell.line(shell.run("bus:bind vdpa vdpa0 vhost_vdpa"), "vdpa0").get(3));
            awaitShown("vdpa0", "server listening");
            assertTrue(Files.exists(socket("vdpa0")));
            try (Frontend fe = new Frontend(socket("vdpa0"), MAC0, MAC1, 100, 0)) {
                assertEquals(fe.output(), 0, fe.awaitExit(Duration.ofSeconds(60)));
            }
            shell.run("bus:unbind vdpa vdpa0");
            assertFalse("socket removed", Files.exists(socket("vdpa0")));
            assertEquals("virtio_vdpa", Shell.line(shell.run("bus:bind vdpa vdpa0 virtio_vdpa"), "vdpa0").get(3));
            awaitNet(MAC0);
            Await.until("no vhost thread", () -> threads(), () -> !threads().contains("vhost-vdpa0"));
            Await.until("nothing of the front-end held", Held::now, () -> Held.now().equals(before));
        }
        // a device on the bus is never taken by vhost_vdpa unasked
        assertEquals("virtio_vdpa", shell.run("bus:devices vdpa").lines().filter(l -> l.contains("vdpa1")).findFirst().orElseThrow()
                .trim().split("\\s+")[3]);
    }

    @Test
    public void aFrontendKilledMidTrafficLeavesNothingAndTheNextOneIsServed() throws Exception {
        shell.run("bus:override vdpa vdpa0 vhost_vdpa");
        awaitShown("vdpa0", "server listening");
        Held before = Held.now();
        long sentBefore = deviceCounter("vdpa0", 1, "tx_frames");
        try (Frontend fe = new Frontend(socket("vdpa0"), MAC0, MAC1, 100_000_000, 0)) {
            fe.awaitReady();
            Await.until("traffic", () -> deviceCounter("vdpa0", 1, "tx_frames"),
                    () -> deviceCounter("vdpa0", 1, "tx_frames") > sentBefore + 10_000);
            fe.kill();
        }
        awaitShown("vdpa0", "server listening");
        assertEquals("device reset", 0, vdpaBus.device("vdpa0").orElseThrow().getStatus());
        Await.until("nothing of the killed front-end held", Held::now, () -> Held.now().equals(before));
        long sent = deviceCounter("vdpa0", 1, "tx_frames");
        try (Frontend next = new Frontend(socket("vdpa0"), MAC0, MAC1, 1000, 0)) {
            assertEquals(next.output(), 0, next.awaitExit(Duration.ofSeconds(60)));
        }
        assertEquals(sent + 1000, deviceCounter("vdpa0", 1, "tx_frames"));
    }

    @Test
    public void aConfigurationsDriverOverrideServesItsDeviceAtOnce() throws Exception {
        device("vdpa2", "52:54:00:00:01:0c", "vhost_vdpa");
        awaitShown("vdpa2", "server listening");
        assertTrue(shell.run("bus:devices vdpa"), Shell.line(shell.run("bus:devices vdpa"), "vdpa2").contains("vhost_vdpa"));
    }

    @Test
    public void uninstallingVhostUapiDisconnectsAConnectedFrontendFirst() throws Exception {
        shell.run("bus:unbind vdpa vdpa0");
        shell.run("bus:bind vdpa vdpa0 vhost_vdpa");
        awaitShown("vdpa0", "server listening");
        Bundle vhost = bundle("vhost.uapi");
        try (Frontend fe = new Frontend(socket("vdpa0"), MAC0, MAC1, 10, 1_000_000)) {
            fe.awaitReady();
            vhost.uninstall();
            // the front-end sees its connection closed and gives up (it never got its frames)
            assertEquals(1, fe.awaitExit(Duration.ofSeconds(60)));
        }
        assertFalse(Files.exists(socket("vdpa0")));
        // bound by hand, not pinned: virtio_vdpa takes the device back
        awaitNet(MAC0);
        assertEquals(0, HostileHeld.memfdMappings());
    }

    /** What a session could leave in this process: eventfds, sockets, mappings of a front-end's memory. */
    record Held(long eventfds, long sockets, long memfdMappings) {
        static Held now() {
            return new Held(HostileHeld.descriptors("[eventfd]"), HostileHeld.descriptors("socket:"), HostileHeld.memfdMappings());
        }
    }

    /** Counts in /proc/self. */
    static final class HostileHeld {
        static long descriptors(String what) {
            try (var s = Files.list(Path.of("/proc/self/fd"))) {
                return s.filter(p -> {
                    try {
                        return Files.readSymbolicLink(p).toString().contains(what);
                    } catch (IOException gone) {
                        return false;
                    }
                }).count();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static long memfdMappings() {
            try {
                return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("memfd:guest")).count();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String threads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList().toString();
    }

    private static long source(MemorySegment frame) {
        return frame.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4) & 0xffff_ffff_ffffL;
    }

    private static long frames(NetDevice dev, boolean rx) {
        return dev.stats().stream().mapToLong(s -> rx ? s.rxFrames() : s.txFrames()).sum();
    }

    private long deviceCounter(String dev, int qidx, String name) {
        return ((VdpaVendorStatsOps) vdpaBus.device(dev).orElseThrow()).vendorVqStats(qidx).get(name);
    }

    private void awaitShown(String dev, String what) {
        Await.until("vhost:show " + dev + " to say " + what, () -> shell.tryRun("vhost:show " + dev),
                () -> shell.tryRun("vhost:show " + dev).contains(what));
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    private NetDevice awaitNet(String mac) {
        NetDevice[] found = new NetDevice[1];
        Await.until("a NetDevice with MAC " + mac, () -> List.of(nets.getServices(new NetDevice[0])), () -> {
            for (NetDevice d : nets.getServices(new NetDevice[0])) {
                if (d.mac().toString().equals(mac)) {
                    found[0] = d;
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(20));
        return found[0];
    }

    private void awaitNoNet(String mac) {
        Await.until("no NetDevice with MAC " + mac, () -> List.of(nets.getServices(new NetDevice[0])),
                () -> List.of(nets.getServices(new NetDevice[0])).stream().noneMatch(d -> d.mac().toString().equals(mac)));
    }

}
