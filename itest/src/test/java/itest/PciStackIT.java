package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import driver.core.BindingState;
import driver.core.DeviceInfo;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
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
import pci.bus.PciBus;
import pci.bus.PciDevice;
import vdpa.bus.VdpaBus;
import vdpa.bus.VdpaVendorStatsOps;
import virtio.net.api.NetDevice;

/**
 * The hardware path in Felix: an emulated virtio-pci function from Configuration Admin binds to
 * vp_vdpa (vdpa.hw.pci), a vDPA device added on its management device binds virtio_vdpa and
 * virtio_net above it, and frames cross a cable to a simulated vDPA NIC. The function is unplugged
 * under traffic, and vdpa.hw.pci uninstalled and reinstalled under traffic: nothing is thrown and
 * every frame the simulated NIC put on the cable was received by the function or counted dropped.
 */
@RunWith(PaxExam.class)
public class PciStackIT {

    static final String SLOT = "0000:00:04.0";
    static final String MGMTDEV = "pci/" + SLOT;
    static final String MAC_PCI = "52:54:00:00:00:04";
    static final String MAC_SIM = "52:54:00:00:00:0a";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    VdpaBus vdpaBus;

    @Inject
    PciBus pciBus;

    ServiceTracker<NetDevice, NetDevice> nets;
    org.osgi.service.cm.Configuration function;
    Shell shell;

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, "virtio.spec", "virtio.ring", "vdpa.bus", "virtio.bus",
                "virtio.net.api", "virtio.vdpa", "vdpa.sim", "virtio.net", "pci.bus", "pci.emul", "linux.ffm", "pci.vfio", "vdpa.hw.pci")};
    }

    @Before
    public void functionCabledToASimulatedNic() throws Exception {
        nets = new ServiceTracker<>(context, NetDevice.class, null);
        nets.open();
        shell = new Shell(context);
        configure("vdpa.sim.net", Map.of("name", "vdpa0", "mac", MAC_SIM, "max_vqp", 2, "link", "cable:p0"));
        function = configure("pci.emul.net", Map.of("slot", SLOT, "mac", MAC_PCI, "max_vqp", 2, "link", "cable:p0"));
        awaitNet(MAC_SIM);
        Await.until(SLOT + " bound to vp_vdpa", pciBus::devices,
                () -> pciBus.devices().stream().anyMatch(d -> d.name().equals(SLOT) && d.state() == BindingState.BOUND
                        && "vp_vdpa".equals(d.driver())), Duration.ofSeconds(20));
    }

    @After
    public void close() {
        shell.close();
        nets.close();
    }

    private org.osgi.service.cm.Configuration configure(String pid, Map<String, Object> props) throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.createFactoryConfiguration(pid, "?");
        c.update(new Hashtable<>(props));
        return c;
    }

    @Test
    public void aDeviceAddedOnTheFunctionsManagementDeviceCarriesFramesBothWaysWithNoRegisterAccessRefused() throws Exception {
        assertEquals("", shell.run("vdpa:dev add name vdpa2 mgmtdev " + MGMTDEV).strip());
        NetDevice pci = awaitNet(MAC_PCI);
        NetDevice sim = awaitNet(MAC_SIM);
        assertEquals(2, pci.queuePairs());
        String dev = shell.run("vdpa:dev show vdpa2");
        assertTrue(dev, dev.contains("mgmtdev " + MGMTDEV) && dev.contains("driver virtio_vdpa"));
        crossBothWays(pci, sim, 20_000);

        String lspci = shell.run("pci:lspci -v");
        assertTrue(lspci, lspci.contains(SLOT + " Ethernet controller [0200]: Red Hat, Inc. Device [1af4:1041] (rev 01)"));
        assertTrue(lspci, lspci.contains("Kernel driver in use: vp_vdpa"));
        assertTrue(lspci, lspci.contains("Capabilities: [98] MSI-X: Enable+ Count=6 Masked-"));
        Map<String, Long> counters = function().counters();
        for (String fault : List.of("common_bad_access", "read_only_write", "queue_size_invalid", "queue_write_while_enabled",
                "queue_enable_not_one", "queue_enable_before_address", "msix_vector_refused", "notify_bad_access",
                "bar_memory_disabled", "msix_lost_message", "model_refused")) {
            assertEquals(fault + " in " + counters, 0L, (long) counters.get(fault));
        }
        assertTrue(shell.run("vdpa:mgmtdev show").contains(MGMTDEV + ":"));
        // the VFIO provider says what it found on this machine's kernel
        Await.until("the vfio provider's discovery", () -> shell.tryRun("pci:lspci"),
                () -> !shell.tryRun("pci:lspci").contains("provider vfio: looking for"));
        String providers = shell.run("pci:lspci");
        assertTrue(providers, providers.contains("provider emulated: 1 function"));
        assertTrue(providers, new java.io.File("/dev/vfio/vfio").exists() ? providers.contains("provider vfio: ")
                : providers.contains("provider vfio: /dev/vfio/vfio is absent: this kernel has no VFIO"));
    }

    @Test
    public void unpluggingTheFunctionUnderTrafficTakesItsStackDownAndEveryFrameIsReceivedOrCountedDropped() throws Exception {
        shell.run("vdpa:dev add name vdpa2 mgmtdev " + MGMTDEV);
        NetDevice pci = awaitNet(MAC_PCI);
        PciDevice unplugged = function();
        try (FrameCheck check = new FrameCheck(pci, pci.queuePairs());
                FrameSender.Background traffic = new FrameSender(awaitNet(MAC_SIM), pci.mac(), 2).background()) {
            check.awaitReceived(1_000, Duration.ofSeconds(30));
            assertEquals("", shell.run("pci:emul del " + SLOT).strip());

            assertNull("the function's NetDevice left", net(MAC_PCI));
            assertTrue("vdpa2 left the vDPA bus", vdpaBus.device("vdpa2").isEmpty());
            assertTrue("the function left the PCI bus", pciBus.device(SLOT).isEmpty());
            assertTrue(shell.run("vdpa:mgmtdev show"), !shell.run("vdpa:mgmtdev show").contains(MGMTDEV));
            traffic.stop();
            assertNull("the sender saw no exception", traffic.failure());
            assertEquals("frames corrupted or out of order: " + check.firstProblem(), 0, check.problems());
        }
        assertEveryFrameReceivedOrDropped(unplugged);

        // plugged in again by hand, with a device on it again: the stack comes back
        shell.run("pci:emul add " + SLOT + " mac " + MAC_PCI + " max_vqp 2 link cable:p0");
        Await.until("the new function bound", pciBus::devices, () -> pciBus.devices().stream()
                .anyMatch(d -> d.name().equals(SLOT) && d.state() == BindingState.BOUND), Duration.ofSeconds(20));
        shell.run("vdpa:dev add name vdpa2 mgmtdev " + MGMTDEV);
        crossBothWays(awaitNet(MAC_PCI), awaitNet(MAC_SIM), 5_000);
    }

    @Test
    public void uninstallingVdpaHwPciUnderTrafficTakesItsDevicesDownAndReinstallingRebuildsTheConfiguredOne() throws Exception {
        configure("vdpa.hw.pci.dev", Map.of("name", "vdpa2", "mgmtdev", MGMTDEV));
        NetDevice pci = awaitNet(MAC_PCI);
        PciDevice f = function();
        Bundle driver = bundle("vdpa.hw.pci");
        try (FrameCheck check = new FrameCheck(pci, pci.queuePairs());
                FrameSender.Background traffic = new FrameSender(awaitNet(MAC_SIM), pci.mac(), 2).background()) {
            check.awaitReceived(1_000, Duration.ofSeconds(30));
            String location = driver.getLocation();
            driver.uninstall();

            assertNull("the function's NetDevice left", net(MAC_PCI));
            assertTrue("vdpa2 left the vDPA bus", vdpaBus.device("vdpa2").isEmpty());
            assertEquals(BindingState.UNBOUND, info(pciBus.devices(), SLOT).state());
            traffic.stop();
            assertNull("the sender saw no exception", traffic.failure());
            assertEquals("frames corrupted or out of order: " + check.firstProblem(), 0, check.problems());
            assertEveryFrameReceivedOrDropped(f);

            context.installBundle(location).start();
        }
        crossBothWays(awaitNet(MAC_PCI), awaitNet(MAC_SIM), 5_000);
        assertEquals("vp_vdpa", info(pciBus.devices(), SLOT).driver());
    }

    /**
     * Every frame the simulated NIC put on the cable reached the function's model: written into its
     * receive buffers, or dropped there and counted (not ready, reset while it waited, filtered).
     */
    private void assertEveryFrameReceivedOrDropped(PciDevice f) {
        long sent = deviceCounter("vdpa0", "tx_frames");
        Map<String, Long> c = f.counters();
        long drops = c.entrySet().stream().filter(e -> e.getKey().startsWith("rx_drop")).mapToLong(Map.Entry::getValue).sum();
        assertTrue("frames were sent", sent > 1_000);
        assertEquals("sent " + sent + "; at the function " + c, sent, c.get("rx_frames") + drops);
    }

    private void crossBothWays(NetDevice a, NetDevice b, long frames) throws Exception {
        for (NetDevice[] ends : new NetDevice[][] {{a, b}, {b, a}}) {
            try (FrameCheck check = new FrameCheck(ends[1], ends[1].queuePairs())) {
                long sent = new FrameSender(ends[0], ends[1].mac(), ends[0].queuePairs()).send(frames, Duration.ofSeconds(60));
                check.awaitReceived(sent, Duration.ofSeconds(60));
                assertEquals("frames corrupted or out of order: " + check.firstProblem(), 0, check.problems());
            }
        }
    }

    private PciDevice function() {
        return pciBus.device(SLOT).orElseThrow(() -> new AssertionError("no function " + SLOT));
    }

    private NetDevice awaitNet(String mac) {
        return Find.awaitNet(nets, mac);
    }

    private NetDevice net(String mac) {
        return Find.net(nets, mac);
    }

    private Bundle bundle(String bsn) {
        return Find.bundle(context, bsn);
    }

    private static DeviceInfo info(List<DeviceInfo> devices, String name) {
        return Find.device(devices, name);
    }

    /** A counter summed over the device's data queues (two pairs: 0..3). */
    private long deviceCounter(String device, String counter) {
        VdpaVendorStatsOps d = (VdpaVendorStatsOps) vdpaBus.device(device).orElseThrow();
        long sum = 0;
        for (int q = 0; q < 4; q++) {
            sum += d.vendorVqStats(q).getOrDefault(counter, 0L);
        }
        return sum;
    }
}
