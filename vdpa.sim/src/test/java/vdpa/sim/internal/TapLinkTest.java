package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BusException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import linux.ffm.Netns;
import linux.ffm.Tap;
import linux.ffm.testing.TestNamespace;
import linux.ffm.testing.ThreadCaps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import virtio.net.api.MacAddress;
import virtio.ring.work.WorkerPool;

/**
 * The TAP link against the real kernel: each test makes a network namespace, puts the device's
 * TAP in it and talks to the kernel's stack there (10.0.3.0/24 exists only inside it). Needs
 * root, /dev/net/tun, iproute2 and ping.
 */
class TapLinkTest {

    static final String IF = "bbsim0";
    static final byte[] US = {10, 0, 3, 1};
    static final byte[] KERNEL = {10, 0, 3, 2};

    TestNamespace ns;
    final FakeVdpaBus bus = new FakeVdpaBus();
    final SimNetMgmtDevice mgmt = new SimNetMgmtDevice(bus);

    @BeforeEach
    void namespace() {
        TestNamespace.requirePeers("ip", "ping");
        ns = TestNamespace.create("sim");
    }

    @AfterEach
    void close() {
        mgmt.deactivate();
        if (ns != null) {
            ns.close();
        }
    }

    LinkSpec.Tap tap(String ifname) {
        return new LinkSpec.Tap(ifname, ns.name);
    }

    SimNetDevice add(String name, LinkSpec link) throws BusException {
        mgmt.add(new NetParams(name, new MacAddress(Sim.MAC_A), 1500, 1, SimNetFeatures.OFFERED, link));
        return mgmt.device(name);
    }

    SimNetMgmtDevice.Info info(String name) {
        return mgmt.list().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    /** The kernel's end of the TAP: an address and up. */
    void configureKernelSide(String ifname) {
        ns.exec("ip", "addr", "add", "10.0.3.2/24", "dev", ifname);
        ns.exec("ip", "link", "set", ifname, "up");
    }

    @Test
    void theKernelInTheNamespaceAnswersTheDevicesArpRequestThroughTheTap() throws Exception {
        SimNetDevice d = add("t0", tap(IF));
        configureKernelSide(IF);
        try (TestDriver drv = new TestDriver(d, TestDriver.BASE, 256)) {
            drv.postRx(0, 128, 2048);
            drv.send(0, HostFrames.arpRequest(Sim.MAC_A, US, KERNEL));
            drv.awaitTx(0, 1);
            byte[] reply = awaitFrame(drv, f -> f.length >= 42 && f[12] == 0x08 && f[13] == 0x06, "the kernel's ARP reply");
            assertThat(HostFrames.mac(reply, 0)).isEqualTo(Sim.MAC_A);
            assertThat(reply[21]).as("ARP reply").isEqualTo((byte) 2);
            assertThat(java.util.Arrays.copyOfRange(reply, 28, 32)).isEqualTo(KERNEL);
            assertThat(HostFrames.mac(reply, 32)).isEqualTo(Sim.MAC_A);
            assertThat(java.util.Arrays.copyOfRange(reply, 38, 42)).isEqualTo(US);
        }
        // the kernel learnt the device's address from the request
        assertThat(ns.exec("ip", "neigh", "show", "10.0.3.1", "dev", IF)).contains("02:00:00:00:00:0a");
        Map<String, Long> link = info("t0").linkCounters();
        assertThat(link.get("tap_to_host_frames")).isEqualTo(1);
        assertThat(link.get("tap_to_host_bytes")).isEqualTo(60);
        assertThat(link.get("tap_from_host_frames")).isPositive();
        assertThat(d.vendorVqStats(1)).containsEntry("tx_frames", 1L);
        assertThat(info("t0").linkUp()).isTrue();
    }

    @Test
    void onlyTheLinksThreadEntersTheNamespaceAndTheInterfaceGoesWithTheLink() throws Exception {
        String host = Netns.current();
        add("t1", tap(IF));
        String nsId = "net:[" + Files.getAttribute(Netns.path(ns.name), "unix:ino") + "]";
        assertThat(threadsIn(nsId)).as("threads of this JVM in the namespace").containsExactly("vdpasim-tap-bbs");
        assertThat(Netns.current()).isEqualTo(host);
        assertThat(threadsIn(host)).as("every other thread stays").isNotEmpty();
        assertThat(ns.exec("ip", "-o", "link", "show", IF)).contains(IF);
        assertThat(TestNamespace.status("ip", "-o", "link", "show", IF)).as("not in the host's namespace").isNotZero();

        long t0 = System.nanoTime();
        mgmt.relink("t1", LinkSpec.LOOPBACK);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to stop the TAP").isLessThan(1000);
        assertThat(threadAlive("vdpasim-tap-" + IF)).isFalse();
        assertThat(ns.execStatus("ip", "-o", "link", "show", IF)).as("the kernel deleted the TAP").isNotZero();
        assertThat(info("t1").link()).isEqualTo("loopback");
        assertThat(info("t1").linkUp()).isTrue();

        mgmt.relink("t1", tap(IF));
        assertThat(ns.exec("ip", "-o", "link", "show", IF)).contains(IF);
        mgmt.delete("t1");
        assertThat(threadAlive("vdpasim-tap-" + IF)).isFalse();
        assertThat(ns.execStatus("ip", "-o", "link", "show", IF)).as("gone with the device").isNotZero();
    }

    @Test
    void eachRefusalIsOneLineNamingTheCauseAndTheDeviceKeepsItsLink() throws Exception {
        add("r0", LinkSpec.LOOPBACK);
        assertThatThrownBy(() -> mgmt.relink("r0", new LinkSpec.Tap(IF, "busbar-no-such-ns")))
                .hasMessage("tap:bbsim0@busbar-no-such-ns: network namespace busbar-no-such-ns does not exist"
                        + " (open: ENOENT (/var/run/netns/busbar-no-such-ns))");
        assertThatThrownBy(() -> LinkSpec.parse("tap:a234567890123456@" + ns.name))
                .hasMessageContaining("a234567890123456' is 16 bytes, longer than 15 (IFNAMSIZ)");
        assertThatThrownBy(() -> LinkSpec.parse("tap:bbsim0@../x")).hasMessageContaining("letters, digits");

        add("r1", tap(IF));
        assertThatThrownBy(() -> mgmt.relink("r0", tap(IF)))
                .hasMessage("tap:bbsim0@" + ns.name + ": TAP bbsim0 is in use by another descriptor"
                        + " (ioctl TUNSETIFF: EBUSY (bbsim0))");
        assertThatThrownBy(() -> mgmt.relink("r0", tap("lo")))
                .hasMessageContaining("an interface named lo exists and is not a single-queue TAP")
                .hasMessageContaining("EINVAL");

        WorkerPool sparePool = new WorkerPool("vdpasim-spare", 1);
        SimNetDevice spare = new SimNetDevice(new NetParams("spare", new MacAddress(Sim.MAC_B), 1500, 1, SimNetFeatures.OFFERED,
                LinkSpec.LOOPBACK), sparePool);
        sparePool.close();
        assertThatThrownBy(() -> new Links(Path.of("/dev/net/no-tun")).plug(tap("bbsim1"), spare.port))
                .hasMessage("tap:bbsim1@" + ns.name + ": /dev/net/no-tun does not exist (open: ENOENT (/dev/net/no-tun)):"
                        + " load the tun module");
        assertThatThrownBy(() -> TapLink.open(tap("bbsim1"), Tap.CLONE_DEVICE,
                r -> Thread.ofPlatform().unstarted(() -> {
                    ThreadCaps.drop(ThreadCaps.CAP_NET_ADMIN);
                    r.run();
                })))
                .hasMessageStartingWith("tap:bbsim1@" + ns.name + ": making or attaching TAP bbsim1 is not permitted")
                .hasMessageContaining("EPERM")
                .hasMessageEndingWith("it needs CAP_NET_ADMIN");
        assertThatThrownBy(() -> TapLink.open(tap("bbsim1"), Tap.CLONE_DEVICE,
                r -> Thread.ofPlatform().unstarted(() -> {
                    ThreadCaps.drop(ThreadCaps.CAP_SYS_ADMIN);
                    r.run();
                })))
                .hasMessageStartingWith("tap:bbsim1@" + ns.name + ": entering network namespace " + ns.name
                        + " is not permitted (setns: EPERM")
                .hasMessageEndingWith("it needs CAP_SYS_ADMIN");

        assertThat(info("r0").link()).isEqualTo("loopback");
        assertThat(info("r0").linkUp()).isTrue();
        assertThat(ns.exec("ip", "-o", "link", "show", "type", "tun")).contains(IF).doesNotContain("bbsim1");
        assertThat(threadAlive("vdpasim-tap-bbsim1")).isFalse();
    }

    @Test
    void aRefusedMoveLeavesTheTapItWasOnUntouched() throws Exception {
        add("m0", tap(IF));
        configureKernelSide(IF);
        String before = ns.exec("ip", "-o", "addr", "show", "dev", IF);
        assertThat(before).contains("10.0.3.2/24");
        assertThatThrownBy(() -> mgmt.relink("m0", new LinkSpec.Tap("bbsim1", "busbar-no-such-ns")))
                .hasMessageContaining("does not exist");
        // the same interface (same index), still configured: the TAP was never closed
        assertThat(ns.exec("ip", "-o", "addr", "show", "dev", IF)).isEqualTo(before);
        assertThat(info("m0").link()).isEqualTo("tap:" + IF + "@" + ns.name);
        assertThat(info("m0").linkUp()).isTrue();
        mgmt.relink("m0", tap(IF));
        assertThat(ns.exec("ip", "-o", "addr", "show", "dev", IF)).as("moving to the link it is on does nothing").isEqualTo(before);
    }

    @Test
    void framesFromTheHostWaitForRoomInTheDeviceAndEveryFrameReadEndsInItsCounters() throws Exception {
        SimNetDevice d = add("h0", tap(IF));
        configureKernelSide(IF);
        ns.exec("ip", "neigh", "add", "10.0.3.1", "lladdr", "02:00:00:00:00:0a", "dev", IF);
        try (TestDriver drv = new TestDriver(d, TestDriver.BASE, 256)) {
            // no receive buffers yet: the FIFO fills and the link stops reading
            assertThat(ns.execStatus("ping", "-q", "-n", "-c", "600", "-l", "600", "-w", "2", "10.0.3.1"))
                    .as("no one answers yet").isNotZero();
            TestDriver.await(() -> info("h0").linkCounters().get("tap_from_host_wait") >= 1, "the TAP to pause");
            long paused = info("h0").linkCounters().get("tap_from_host_frames");
            assertThat(paused).isLessThanOrEqualTo(FrameFifo.CAPACITY + 1);

            int[] echoes = {0};
            drv.postRx(0, 64, 2048);
            receive(drv, f -> {
                if (f.length >= 42 && f[12] == 0x08 && f[13] == 0 && f[23] == 1 && f[34] == 8) {
                    echoes[0]++;
                }
            }, () -> echoes[0] >= 600, () -> echoes[0] + " echo requests received, link " + info("h0").linkCounters());

            // every frame read ends in the device's counters: in RX buffers or in a named drop
            TestDriver.await(() -> fates(d) == info("h0").linkCounters().get("tap_from_host_frames"), "every frame read is counted");
            Map<String, Long> link = info("h0").linkCounters();
            assertThat(link.get("tap_from_host_frames")).isGreaterThan(FrameFifo.CAPACITY + 64L);
            assertThat(link.get("tap_from_host_drop_full")).isZero();
        }
    }

    /** Receives on pair 0, giving each buffer back, until {@code done}; bounded by progress. */
    static void receive(TestDriver drv, java.util.function.Consumer<byte[]> each, java.util.function.BooleanSupplier done,
            java.util.function.Supplier<String> what) {
        TestDriver.pump(() -> {
            List<TestDriver.Frame> got = drv.poll(0);
            for (TestDriver.Frame f : got) {
                each.accept(f.bytes());
            }
            if (!got.isEmpty()) {
                drv.postRx(0, got.size(), 2048);
            }
            return got.size();
        }, done, what);
    }

    /** Frames the device's RX queue 0 delivered or dropped. */
    static long fates(SimNetDevice d) {
        return d.vendorVqStats(0).entrySet().stream()
                .filter(e -> e.getKey().equals("rx_frames") || e.getKey().startsWith("rx_drop_"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    void framesToTheHostAreCountedAndThoseADownInterfaceRefusesAreCountedAsSuch() throws Exception {
        SimNetDevice d = add("w0", tap(IF));
        try (TestDriver drv = new TestDriver(d, TestDriver.BASE, 256)) {
            byte[] frame = TestDriver.frame(Sim.MAC_B, Sim.MAC_A, 600, 0);
            sendAll(drv, frame, 10);
            TestDriver.await(() -> info("w0").linkCounters().get("tap_to_host_drop_down") == 10, "10 frames refused by a down TAP");

            configureKernelSide(IF);
            sendAll(drv, frame, 2_000);
            TestDriver.await(() -> info("w0").linkCounters().get("tap_to_host_frames") == 2_000, "2000 frames written");
            Map<String, Long> link = info("w0").linkCounters();
            assertThat(link).containsEntry("tap_to_host_bytes", 2_000L * 600).containsEntry("tap_to_host_drop_error", 0L)
                    .containsEntry("tap_to_host_drop_down", 10L).containsEntry("tap_to_host_drop_closed", 0L);
            assertThat(d.vendorVqStats(1)).containsEntry("tx_frames", 2_010L).containsEntry("tx_drop_link_down", 0L);
        }
    }

    @Test
    void framesTheKernelRoutesBackCrossBothWaysAndTheTapThreadAllocatesNothingOnceCompiled() throws Exception {
        SimNetDevice d = add("b0", tap(IF));
        configureKernelSide(IF);
        ns.exec("ip", "neigh", "add", "10.0.3.1", "lladdr", "02:00:00:00:00:0a", "dev", IF);
        ns.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0",
                "net.ipv4.conf." + IF + ".send_redirects=0");
        long kernelMac = MacAddress.parse(ns.exec("cat", "/sys/class/net/" + IF + "/address").strip()).value();
        // from 10.0.3.3 to 10.0.3.1 (the device) through the kernel: it forwards each one back out of the TAP
        byte[] frame = HostFrames.udp(kernelMac, Sim.MAC_A, new byte[] {10, 0, 3, 3}, US, 200);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TestDriver drv = new TestDriver(d, TestDriver.BASE, 256)) {
            drv.postRx(0, 128, 2048);
            Thread tapThread = thread("vdpasim-tap-" + IF);
            int batch = 5_000;
            List<Long> perBatch = new ArrayList<>();
            // until the JIT has compiled the loop, each FFM downcall allocates (its capture-state check):
            // batches run until one allocates (nearly) nothing, at most 60 of them (a loaded machine compiles late)
            while (perBatch.isEmpty() || perBatch.getLast() >= 20_000) {
                assertThat(perBatch).as("bytes the TAP thread allocated per " + batch + " frames each way").hasSizeLessThan(60);
                long before = mx.getThreadAllocatedBytes(tapThread.threadId());
                int[] back = {0};
                int[] sent = {0};
                int[] reaped = {0};
                TestDriver.pump(() -> {
                    int moved = 0;
                    while (sent[0] < batch && sent[0] - back[0] < 100 && drv.trySend(0, frame)) {
                        sent[0]++;
                        moved++;
                    }
                    reaped[0] += drv.reapTx(0);
                    List<TestDriver.Frame> got = drv.poll(0);
                    for (TestDriver.Frame f : got) {
                        byte[] b = f.bytes();
                        if (b.length == frame.length && b[23] == 17 && HostFrames.mac(b, 0) == Sim.MAC_A) {
                            assertThat(b[22]).as("TTL, less one hop").isEqualTo((byte) 63);
                            back[0]++;
                        }
                    }
                    if (!got.isEmpty()) {
                        drv.postRx(0, got.size(), 2048);
                    }
                    return moved + got.size();
                }, () -> back[0] == batch && reaped[0] == batch, () -> sent[0] + " sent, " + back[0] + " back, link "
                        + info("b0").linkCounters());
                perBatch.add(mx.getThreadAllocatedBytes(tapThread.threadId()) - before);
            }
            Map<String, Long> link = info("b0").linkCounters();
            long frames = (long) batch * perBatch.size();
            assertThat(link.get("tap_to_host_frames")).isEqualTo(frames);
            assertThat(link.get("tap_from_host_frames")).isGreaterThanOrEqualTo(frames);
            assertThat(d.vendorVqStats(0).get("rx_frames")).isGreaterThanOrEqualTo(frames);
        }
    }

    /** Sends {@code n} copies, waiting for TX buffers to come back when the ring is full. */
    static void sendAll(TestDriver drv, byte[] frame, int n) {
        int[] sent = {0};
        int[] back = {0};
        TestDriver.pump(() -> {
            int moved = 0;
            while (sent[0] < n && drv.trySend(0, frame)) {
                sent[0]++;
                moved++;
            }
            int r = drv.reapTx(0);
            back[0] += r;
            return moved + r;
        }, () -> back[0] == n, () -> sent[0] + " sent, " + back[0] + " back of " + n);
    }

    // ================================================================ helpers

    static byte[] awaitFrame(TestDriver drv, java.util.function.Predicate<byte[]> wanted, String what) {
        byte[][] found = {null};
        TestDriver.await(() -> {
            for (TestDriver.Frame f : drv.poll(0)) {
                drv.postRx(0, 1, 2048);
                if (found[0] == null && wanted.test(f.bytes())) {
                    found[0] = f.bytes();
                }
            }
            return found[0] != null;
        }, what);
        return found[0];
    }

    /** The names (comm, 15 characters) of this JVM's threads whose network namespace is {@code nsId}. */
    static List<String> threadsIn(String nsId) throws Exception {
        List<String> names = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (Files.readSymbolicLink(t.resolve("ns/net")).toString().equals(nsId)) {
                        names.add(Files.readString(t.resolve("comm")).strip());
                    }
                } catch (java.io.IOException ended) {
                    // a thread that ended while we looked
                }
            }
        }
        return names;
    }

    static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
