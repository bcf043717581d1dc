package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import driver.core.BindingState;
import driver.core.DeviceInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaVendorStatsOps;
import virtio.bus.VirtioBus;
import virtio.net.api.NetDevice;
import virtio.net.api.QueueStats;
import virtio.spec.DeviceStatus;

/**
 * The whole kernel datapath in Felix: two simulated vDPA NICs on a cable, created by Configuration
 * Admin, bound through virtio_vdpa and virtio_net up to two NetDevices; frames cross; bundles in
 * the middle of the stack leave and come back under traffic; a deleted configuration takes its
 * whole stack down.
 */
@RunWith(PaxExam.class)
public class NetStackIT {

    static final String MAC0 = "52:54:00:00:00:0a";
    static final String MAC1 = "52:54:00:00:00:0b";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    VdpaBus vdpaBus;

    @Inject
    VirtioBus virtioBus;

    ServiceTracker<NetDevice, NetDevice> nets;
    org.osgi.service.cm.Configuration config0;
    org.osgi.service.cm.Configuration config1;

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, "virtio.spec", "virtio.ring", "vdpa.bus", "virtio.bus",
                "virtio.net.api", "virtio.vdpa", "linux.ffm", "vdpa.sim", "virtio.net")};
    }

    @Before
    public void cabledPair() throws Exception {
        nets = new ServiceTracker<>(context, NetDevice.class, null);
        nets.open();
        config0 = device("vdpa0", MAC0);
        config1 = device("vdpa1", MAC1);
        awaitNet(MAC0);
        awaitNet(MAC1);
    }

    @After
    public void close() {
        nets.close();
    }

    private org.osgi.service.cm.Configuration device(String name, String mac) throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.createFactoryConfiguration("vdpa.sim.net", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("mac", mac);
        p.put("max_vqp", 2);
        p.put("link", "cable:c0");
        c.update(p);
        return c;
    }

    @Test
    public void configuredDevicesComeUpAsNetDevicesWithTheirMacs() {
        NetDevice eth0 = awaitNet(MAC0);
        NetDevice eth1 = awaitNet(MAC1);
        assertEquals(MAC0, eth0.mac().toString());
        assertEquals(MAC1, eth1.mac().toString());
        assertEquals(2, eth0.queuePairs());
        assertEquals("virtio_vdpa", info(vdpaBus.devices(), "vdpa0").driver());
        assertEquals(2, virtioBus.devices().stream().filter(d -> "virtio_net".equals(d.driver())).count());
    }

    @Test
    public void hundredThousandMixedFramesCrossTheCableIntactAndInOrderAndEveryCounterAgrees() throws Exception {
        NetDevice eth0 = awaitNet(MAC0);
        NetDevice eth1 = awaitNet(MAC1);
        try (FrameCheck check = new FrameCheck(eth1, eth1.queuePairs())) {
            long sent = new FrameSender(eth0, eth1.mac(), eth0.queuePairs()).send(100_000, Duration.ofSeconds(120));
            assertEquals(100_000, sent);
            check.awaitReceived(sent, Duration.ofSeconds(60));
            assertEquals("frames corrupted or out of order: " + check.firstProblem(), 0, check.problems());
        }
        // The driver's counters and the devices' counters tell the same story, exactly. The driver
        // counts a frame received after its handler returns and a frame sent when its buffer is
        // reclaimed, so both may trail the handler by a moment: wait for them, then compare exactly.
        Supplier<Long> txFrames = () -> eth0.stats().stream().mapToLong(QueueStats::txFrames).sum();
        Supplier<Long> rxFrames = () -> eth1.stats().stream().mapToLong(QueueStats::rxFrames).sum();
        Await.until("driver counters reach 100000", () -> txFrames.get() + " / " + rxFrames.get(),
                () -> txFrames.get() >= 100_000 && rxFrames.get() >= 100_000);
        assertEquals(100_000, (long) txFrames.get());
        assertEquals(100_000, (long) rxFrames.get());
        assertEquals(100_000, deviceCounter("vdpa0", "tx_frames"));
        assertEquals(100_000, deviceCounter("vdpa1", "rx_frames"));
        assertEquals("device drops", 0, deviceDrops("vdpa0") + deviceDrops("vdpa1"));
    }

    @Test
    public void uninstallingVirtioNetUnderTrafficRemovesBothNetDevicesAndResetsTheDevicesThenReinstallingResumes()
            throws Exception {
        NetDevice eth0 = awaitNet(MAC0);
        NetDevice eth1 = awaitNet(MAC1);
        Bundle virtioNet = bundle("virtio.net");
        try (FrameCheck check = new FrameCheck(eth1, eth1.queuePairs());
                FrameSender.Background traffic = new FrameSender(eth0, eth1.mac(), eth0.queuePairs()).background()) {
            check.awaitReceived(1_000, Duration.ofSeconds(30));
            String location = virtioNet.getLocation();
            virtioNet.uninstall();

            assertNull("no NetDevice left", nets.getService());
            // Reset, then acknowledged again by the virtio bus, as the kernel's virtio_dev_remove does.
            assertEquals(DeviceStatus.ACKNOWLEDGE.value(), vdpaStatus("vdpa0"));
            assertEquals(DeviceStatus.ACKNOWLEDGE.value(), vdpaStatus("vdpa1"));
            traffic.stop();
            assertNull("the sender saw no exception", traffic.failure());
            assertEquals("frames corrupted or out of order: " + check.firstProblem(), 0, check.problems());
            // Every frame the device took from the sender's ring reached the other side or was counted.
            assertEquals(deviceCounter("vdpa0", "tx_frames"),
                    deviceCounter("vdpa1", "rx_frames") + deviceDrops("vdpa1") + deviceDrops("vdpa0"));

            context.installBundle(location).start();
        }
        assertTrafficFlows();
    }

    @Test
    public void uninstallingVirtioVdpaTearsDownTheVirtioLayerAndReinstallingRebuildsIt() throws Exception {
        Bundle bridge = bundle("virtio.vdpa");
        try (FrameSender.Background traffic = new FrameSender(awaitNet(MAC0), awaitNet(MAC1).mac(), 2).background()) {
            Await.until("traffic flowing", traffic::sent, () -> traffic.sent() > 1_000, Duration.ofSeconds(30));
            String location = bridge.getLocation();
            bridge.uninstall();

            assertNull("no NetDevice left", nets.getService());
            assertTrue("no virtio device left: " + virtioBus.devices(), virtioBus.devices().isEmpty());
            assertEquals(BindingState.UNBOUND, info(vdpaBus.devices(), "vdpa0").state());
            assertEquals(0, vdpaStatus("vdpa0"));
            traffic.stop();
            assertNull("the sender saw no exception", traffic.failure());
            context.installBundle(location).start();
        }
        assertTrafficFlows();
    }

    @Test
    public void deletingADevicesConfigurationTearsDownItsWholeStack() throws Exception {
        config0.delete();
        Await.until("vdpa0 gone from the vdpa bus", vdpaBus::devices,
                () -> vdpaBus.devices().stream().noneMatch(d -> d.name().equals("vdpa0")));
        Await.until("one NetDevice left", () -> Arrays.toString(nets.getServiceReferences()), () -> nets.size() == 1);
        assertEquals(MAC1, nets.getService().mac().toString());
        assertEquals(1, virtioBus.devices().size());
    }

    private void assertTrafficFlows() throws Exception {
        NetDevice eth0 = awaitNet(MAC0);
        NetDevice eth1 = awaitNet(MAC1);
        try (FrameCheck check = new FrameCheck(eth1, eth1.queuePairs())) {
            long sent = new FrameSender(eth0, eth1.mac(), eth0.queuePairs()).send(5_000, Duration.ofSeconds(60));
            check.awaitReceived(sent, Duration.ofSeconds(30));
            assertEquals("frames corrupted or out of order: " + check.firstProblem(), 0, check.problems());
        }
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

    private int vdpaStatus(String name) {
        return vdpaBus.device(name).orElseThrow().getStatus();
    }

    private Map<String, Long> queueStats(String device, int qidx) {
        VdpaDevice d = vdpaBus.device(device).orElseThrow();
        return ((VdpaVendorStatsOps) d).vendorVqStats(qidx);
    }

    /** A counter summed over the device's data queues (two pairs: 0..3). */
    private long deviceCounter(String device, String counter) {
        long sum = 0;
        for (int q = 0; q < 4; q++) {
            sum += queueStats(device, q).getOrDefault(counter, 0L);
        }
        return sum;
    }

    /** Every drop counter of the device's data queues, summed. */
    private long deviceDrops(String device) {
        long sum = 0;
        for (int q = 0; q < 4; q++) {
            sum += queueStats(device, q).entrySet().stream().filter(e -> e.getKey().contains("drop"))
                    .mapToLong(Map.Entry::getValue).sum();
        }
        return sum;
    }
}
