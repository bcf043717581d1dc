package bench.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Control;
import virtio.net.api.FrameHandler;
import virtio.net.api.LinkState;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDevice;
import virtio.net.api.QueueStats;
import virtio.net.api.SendResult;

/**
 * The benchmark's counting, on fake NetDevices and one thread, no Felix, no timing: only frames
 * the receive handler got count as received, only inside the measurement window; BUSY is retried
 * and never counted as sent; the sender goes round robin over the queues.
 */
class NetDeviceBenchmarkTest {

    /** A device whose send hands the frame straight to its peer's handler, or answers BUSY when told to. */
    static final class FakeDevice implements NetDevice {
        final MacAddress mac;
        final int pairs;
        FakeDevice peer;
        FrameHandler handler;
        boolean busy;
        final List<Integer> queuesSent = new ArrayList<>();

        FakeDevice(long mac, int pairs) {
            this.mac = new MacAddress(mac);
            this.pairs = pairs;
        }

        @Override
        public SendResult send(int queue, MemorySegment frame) {
            if (busy) {
                return SendResult.BUSY;
            }
            queuesSent.add(queue);
            if (peer.handler != null) {
                peer.handler.frame(queue, frame.asReadOnly());
            }
            return SendResult.SENT;
        }

        @Override
        public void setReceiveHandler(FrameHandler h) {
            handler = h;
        }

        @Override
        public void setTap(FrameHandler tap) {
            throw new UnsupportedOperationException("the benchmark never taps");
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public MacAddress mac() {
            return mac;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public LinkState link() {
            return LinkState.UP;
        }

        @Override
        public int queuePairs() {
            return pairs;
        }

        @Override
        public String parentDevice() {
            return "fake";
        }

        @Override
        public int queueFor(MemorySegment frame) {
            return 0;
        }

        @Override
        public int poll(int queue, FrameHandler h, int budget) {
            return 0;
        }

        @Override
        public void setPromiscuous(boolean on) {
        }

        @Override
        public void setAllMulticast(boolean on) {
        }

        @Override
        public void setMulticastList(List<MacAddress> addresses) {
        }

        @Override
        public void setMacAddress(MacAddress m) {
        }

        @Override
        public boolean promiscuous() {
            return false;
        }

        @Override
        public boolean allMulticast() {
            return false;
        }

        @Override
        public List<QueueStats> stats() {
            return List.of();
        }
    }

    private static NetDeviceBenchmark connected(int frameSize, int pairs, FakeDevice from, FakeDevice to, Arena arena) {
        NetDeviceBenchmark b = new NetDeviceBenchmark();
        b.frameSize = frameSize;
        b.pairs = pairs;
        from.peer = to;
        to.peer = from;
        b.connect(from, to, arena.allocate(frameSize, 64));
        return b;
    }

    @Test
    void theFrameIsAddressedToThePeerAndHasTheAskedLength() {
        try (Arena arena = Arena.ofConfined()) {
            FakeDevice a = new FakeDevice(0x525400be0000L, 1);
            FakeDevice b = new FakeDevice(0x525400be0001L, 1);
            NetDeviceBenchmark bench = connected(1500, 1, a, b, arena);
            MemorySegment f = bench.frame;
            assertThat(f.byteSize()).isEqualTo(1500);
            assertThat(MacAddress.of(f.asSlice(0, 6).toArray(ValueLayout.JAVA_BYTE))).isEqualTo(b.mac());
            assertThat(MacAddress.of(f.asSlice(6, 6).toArray(ValueLayout.JAVA_BYTE))).isEqualTo(a.mac());
            assertThat(f.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 12))
                    .isEqualTo(NetDeviceBenchmark.ETHERTYPE);
            assertThat(b.handler).isSameAs(bench.counter);
        }
    }

    @Test
    void sendsGoRoundRobinAndBusyIsRetriedNotCounted() {
        try (Arena arena = Arena.ofConfined()) {
            FakeDevice a = new FakeDevice(0x525400be0000L, 2);
            FakeDevice b = new FakeDevice(0x525400be0001L, 2);
            NetDeviceBenchmark bench = connected(64, 2, a, b, arena);
            var control = new Control();
            var c = new NetDeviceBenchmark.SendCounters();

            control.startMeasurement = true;
            for (int i = 0; i < 5; i++) {
                bench.send(control, c);
            }
            a.busy = true;
            bench.send(control, c);
            bench.send(control, c);
            a.busy = false;
            bench.send(control, c);

            assertThat(c.sent).isEqualTo(6);
            assertThat(c.busy).isEqualTo(2);
            // a BUSY queue is not waited for: the next attempt goes to the next queue
            assertThat(a.queuesSent).containsExactly(0, 1, 0, 1, 0, 1);
            assertThat(bench.receivedFrames.sum()).isEqualTo(6);
            assertThat(bench.receivedBytes.sum()).isEqualTo(6 * 64);

            control.stopMeasurement = true;
            bench.send(control, c);
            assertThat(c.sent).as("after the window").isEqualTo(6);
        }
    }

    @Test
    void receivedCountsOnlyFramesDeliveredInsideTheWindow() {
        try (Arena arena = Arena.ofConfined()) {
            FakeDevice a = new FakeDevice(0x525400be0000L, 1);
            FakeDevice b = new FakeDevice(0x525400be0001L, 1);
            NetDeviceBenchmark bench = connected(64, 1, a, b, arena);
            var control = new Control();
            var sender = new NetDeviceBenchmark.SendCounters();
            var c = new NetDeviceBenchmark.ReceiveCounters();
            c.reset();

            // before the window (JMH's synchronising calls): delivered frames set the base only
            bench.send(control, sender);
            bench.send(control, sender);
            bench.receive(control, c);
            bench.send(control, sender);
            bench.receive(control, c);
            assertThat(c.received).isZero();

            control.startMeasurement = true;
            for (int i = 0; i < 10; i++) {
                bench.send(control, sender);
            }
            // sent but never delivered: not received
            b.handler = null;
            bench.send(control, sender);
            b.handler = bench.counter;
            bench.receive(control, c);
            assertThat(c.received).isEqualTo(10);
            assertThat(c.receivedBytes).isEqualTo(640);
            assertThat(sender.sent).isEqualTo(11);

            control.stopMeasurement = true;
            bench.send(control, sender);
            bench.receive(control, c);
            assertThat(c.received).as("after the window").isEqualTo(10);

            // the next iteration starts from its own base
            c.reset();
            control.startMeasurement = true;
            control.stopMeasurement = false;
            bench.receive(control, c);
            bench.send(control, sender);
            bench.receive(control, c);
            assertThat(c.received).isEqualTo(1);
        }
    }

    @Test
    void primingSendsOneFrameOnEveryQueueAndNeedsThemDelivered() {
        try (Arena arena = Arena.ofConfined()) {
            FakeDevice a = new FakeDevice(0x525400be0000L, 2);
            FakeDevice b = new FakeDevice(0x525400be0001L, 2);
            NetDeviceBenchmark bench = connected(64, 2, a, b, arena);
            bench.primeEveryQueue();
            assertThat(a.queuesSent).containsExactly(0, 1);
        }
    }

    @Test
    void aDeviceWithOtherQueuePairsIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> connected(64, 2, new FakeDevice(1, 1), new FakeDevice(2, 1), arena))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("queue pairs");
        }
    }

    /** The bundle symbolic names a bnd run-descriptor property lists, in order. */
    private static List<String> bsns(Properties bndrun, String key) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("([A-Za-z][\\w.-]*);version=").matcher(bndrun.getProperty(key, ""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void theBundleListIsTheRuntimesMinusTheApiBundleAndTheShell() throws Exception {
        Properties bndrun = new Properties();
        try (var in = Files.newBufferedReader(Path.of("../cnf/busbar.bndrun"))) {
            bndrun.load(in);
        }
        List<String> busbar = new ArrayList<>(bsns(bndrun, "busbar.bundles"));
        assertThat(busbar).as("busbar's bundles in the runtime").contains("virtio.net.api", "virtio.net");
        busbar.remove("virtio.net.api"); // exported by the system bundle instead
        List<String> platform = bsns(bndrun, "-runbundles");
        // every busbar bundle of the runtime, in the runtime's order, on top of the runtime's platform
        assertThat(EmbeddedBusbar.BUNDLES).endsWith(busbar.toArray(String[]::new));
        assertThat(EmbeddedBusbar.BUNDLES.subList(0, EmbeddedBusbar.BUNDLES.size() - busbar.size()))
                .isSubsetOf(platform).doesNotContain("org.apache.felix.gogo.shell");
    }

    @Test
    void theSystemBundleExportsTheApiAtTheVersionItsBundleExports() throws Exception {
        Path where = Path.of(NetDevice.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest;
        if (Files.isDirectory(where)) {
            try (var in = Files.newInputStream(where.resolve("META-INF/MANIFEST.MF"))) {
                manifest = new Manifest(in);
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                manifest = jar.getManifest();
            }
        }
        Matcher m = Pattern.compile("virtio\\.net\\.api;version=\"?([0-9.]+)")
                .matcher(manifest.getMainAttributes().getValue("Export-Package"));
        assertThat(m.find()).as("virtio.net.api exports its package with a version").isTrue();
        assertThat(EmbeddedBusbar.SYSTEM_PACKAGES_EXTRA).isEqualTo("virtio.net.api;version=" + m.group(1));
    }
}
