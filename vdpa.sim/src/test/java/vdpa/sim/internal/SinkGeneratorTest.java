package vdpa.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.BusException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import virtio.net.api.Ethernet;
import virtio.net.api.MacAddress;

/**
 * The two ends of a speed measurement: {@code sink} counts and drops every frame a device sends,
 * {@code generator:<size>[,count=<n>]} feeds a device numbered frames as fast as its driver posts
 * buffers, waiting (never dropping) while it has none or is not live.
 */
class SinkGeneratorTest {

    final FakeVdpaBus bus = new FakeVdpaBus();
    final SimNetMgmtDevice mgmt = new SimNetMgmtDevice(bus);

    @AfterEach
    void close() {
        mgmt.deactivate();
    }

    SimNetDevice add(String name, int mtu, String link) throws BusException {
        mgmt.add(new NetParams(name, new MacAddress(Sim.MAC_A), mtu, 1, SimNetFeatures.OFFERED, LinkSpec.parse(link)));
        return mgmt.device(name);
    }

    Map<String, Long> linkCounters(String name) {
        return mgmt.list().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow().linkCounters();
    }

    @Test
    void aSinkCountsAndDropsEveryFrameTheDeviceSends() throws Exception {
        SimNetDevice d = add("s0", 1500, "sink");
        assertThat(d.linkUp()).isTrue();
        assertThat(linkCounters("s0")).containsEntry("sink_frames", 0L).containsEntry("sink_bytes", 0L);
        int n = 3_000;
        long bytes = 0;
        try (TestDriver drv = new TestDriver(d, TestDriver.BASE, 256)) {
            drv.postRx(0, 16, 2048);
            int[] sent = {0};
            int[] back = {0};
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sizes.add(60 + i * 7 % 1455);
                bytes += sizes.get(i);
            }
            TestDriver.pump(() -> {
                int moved = 0;
                while (sent[0] < n && drv.trySend(0, TestDriver.frame(Sim.MAC_B, Sim.MAC_A, sizes.get(sent[0]), sent[0]))) {
                    sent[0]++;
                    moved++;
                }
                int r = drv.reapTx(0);
                back[0] += r;
                return moved + r;
            }, () -> back[0] == n, () -> back[0] + " of " + n + " back");
            assertThat(drv.poll(0)).as("nothing comes back from a sink").isEmpty();
        }
        assertThat(linkCounters("s0")).containsEntry("sink_frames", (long) n).containsEntry("sink_bytes", bytes);
        assertThat(d.vendorVqStats(1)).containsEntry("tx_frames", (long) n).containsEntry("tx_bytes", bytes)
                .containsEntry("tx_drop_link_down", 0L);
        assertThat(d.vendorVqStats(0)).containsEntry("rx_frames", 0L);
    }

    @Test
    void aGeneratorWithACountDeliversExactlyThatManyNumberedFramesWaitingForBuffersRatherThanDropping() throws Exception {
        int n = 5_000;
        SimNetDevice d = add("g0", 1500, "generator:64,count=" + n);
        GeneratorLink gen = (GeneratorLink) d.link;
        try (TestDriver drv = new TestDriver(d, TestDriver.BASE, 256)) {
            // a few buffers at a time: the generator fills the device's FIFO and has to wait, again and again
            drv.postRx(0, 50, 2048);
            int[] got = {0};
            TestDriver.pump(() -> {
                List<TestDriver.Frame> frames = drv.poll(0);
                for (TestDriver.Frame f : frames) {
                    byte[] b = f.bytes();
                    assertThat(b).as("frame %d", got[0]).hasSize(64);
                    assertThat(MacAddress.read(java.lang.foreign.MemorySegment.ofArray(b), 0)).isEqualTo(MacAddress.BROADCAST.value());
                    assertThat(MacAddress.read(java.lang.foreign.MemorySegment.ofArray(b), 6)).isEqualTo(GeneratorLink.SOURCE_MAC.value());
                    assertThat((b[12] & 0xff) << 8 | b[13] & 0xff).isEqualTo(Ethernet.ETH_P_802_EX1);
                    int seq = (b[14] & 0xff) << 24 | (b[15] & 0xff) << 16 | (b[16] & 0xff) << 8 | b[17] & 0xff;
                    assertThat(seq).as("sequence number").isEqualTo(got[0]);
                    got[0]++;
                }
                if (!frames.isEmpty()) {
                    drv.postRx(0, frames.size(), 2048);
                }
                return frames.size();
            }, () -> got[0] == n, () -> got[0] + " of " + n + " received, link " + linkCounters("g0"));
            TestDriver.await(() -> !gen.running(), "the generator to end after its count");
            // buffers to spare: a frame more than the count would land in them
            drv.postRx(0, 50, 2048);
            Map<String, Long> link = linkCounters("g0");
            assertThat(link).containsEntry("generator_frames", (long) n).containsEntry("generator_bytes", 64L * n);
            assertThat(link.get("generator_wait_buffer")).as("waits for buffers").isPositive();
            Map<String, Long> rx = d.vendorVqStats(0);
            assertThat(rx).containsEntry("rx_frames", (long) n).containsEntry("rx_bytes", 64L * n);
            Traffic.assertNoDrops(rx);
            assertThat(drv.poll(0)).isEmpty();
        }
    }

    @Test
    void aGeneratorWaitsForTheDeviceToBeLiveInsteadOfDroppingAndItsDeviceSendsIntoASink() throws Exception {
        SimNetDevice d = add("g1", 1500, "generator:1514,count=300");
        TestDriver.await(() -> linkCounters("g1").get("generator_wait_ready") == 1, "the generator to wait for DRIVER_OK");
        assertThat(linkCounters("g1")).containsEntry("generator_frames", 0L);
        assertThat(d.vendorVqStats(0)).containsEntry("rx_drop_not_ready", 0L);
        try (TestDriver drv = new TestDriver(d, TestDriver.BASE | TestDriver.MRG, 256)) {
            drv.postRx(0, 200, 1024);
            List<TestDriver.Frame> first = drv.receive(0, 100);
            assertThat(first.getFirst().bytes()).hasSize(1514);
            assertThat(first.getFirst().numBuffers()).isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                drv.postRx(0, 200, 1024);
                drv.receive(0, 100);
            }
            drv.send(0, TestDriver.frame(Sim.MAC_B, Sim.MAC_A, 100, 1));
            drv.awaitTx(0, 1);
        }
        assertThat(linkCounters("g1")).containsEntry("generator_frames", 300L).containsEntry("sink_frames", 1L)
                .containsEntry("sink_bytes", 100L);
        assertThat(d.vendorVqStats(0)).containsEntry("rx_frames", 300L).containsEntry("rx_drop_not_ready", 0L);
    }

    @Test
    void theGeneratorThreadAllocatesNothingPerFrameOnceCompiled() throws Exception {
        SimNetDevice d = add("g2", 1500, "generator:64");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TestDriver drv = new TestDriver(d, TestDriver.BASE, 256)) {
            drv.postRx(0, 256, 2048);
            Thread t = Thread.getAllStackTraces().keySet().stream().filter(x -> x.getName().equals("vdpasim-gen-g2"))
                    .findFirst().orElseThrow();
            int batch = 20_000;
            List<Long> perBatch = new ArrayList<>();
            // the first batches include the JIT's own work on the thread; a compiled loop allocates nothing
            while (perBatch.isEmpty() || perBatch.getLast() >= 10_000) {
                assertThat(perBatch).as("bytes the generator thread allocated per " + batch + " frames").hasSizeLessThan(40);
                long before = mx.getThreadAllocatedBytes(t.threadId());
                int[] got = {0};
                TestDriver.pump(() -> {
                    List<TestDriver.Frame> frames = drv.poll(0);
                    got[0] += frames.size();
                    if (!frames.isEmpty()) {
                        drv.postRx(0, frames.size(), 2048);
                    }
                    return frames.size();
                }, () -> got[0] >= batch, () -> got[0] + " received");
                perBatch.add(mx.getThreadAllocatedBytes(t.threadId()) - before);
            }
        }
    }

    @Test
    void unpluggingAGeneratorEndsItsThread() throws Exception {
        add("g3", 1500, "generator:60");
        assertThat(threads("vdpasim-gen-g3")).isEqualTo(1);
        mgmt.relink("g3", LinkSpec.SINK);
        assertThat(threads("vdpasim-gen-g3")).isZero();
        mgmt.relink("g3", LinkSpec.parse("generator:100,count=10"));
        assertThat(threads("vdpasim-gen-g3")).isEqualTo(1);
        mgmt.delete("g3");
        assertThat(threads("vdpasim-gen-g3")).isZero();
    }

    static long threads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).count();
    }

    @Test
    void linkValuesParseAndPrintBackTheSame() {
        for (String s : new String[] {"sink", "generator:64", "generator:14", "generator:1518,count=5", "generator:65549"}) {
            assertThat(LinkSpec.parse(s).toString()).isEqualTo(s);
        }
        assertThat(LinkSpec.parse("generator:64,count=1000")).isEqualTo(new LinkSpec.Generator(64, 1000));
        assertThat(LinkSpec.parse(" sink ")).isEqualTo(LinkSpec.SINK);
    }

    @Test
    void badGeneratorArgumentsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> LinkSpec.parse("generator:13"))
                .hasMessage("invalid link 'generator:13': size '13' is not a number in 14..65549");
        assertThatThrownBy(() -> LinkSpec.parse("generator:65550")).hasMessageContaining("size '65550' is not a number in 14..65549");
        assertThatThrownBy(() -> LinkSpec.parse("generator:")).hasMessageContaining("size '' is not a number");
        assertThatThrownBy(() -> LinkSpec.parse("generator:-64")).hasMessageContaining("size '-64'");
        assertThatThrownBy(() -> LinkSpec.parse("generator:0x40")).hasMessageContaining("size '0x40'");
        assertThatThrownBy(() -> LinkSpec.parse("generator:99999999999999999999")).hasMessageContaining("is not a number");
        assertThatThrownBy(() -> LinkSpec.parse("generator:64,count=x"))
                .hasMessage("invalid link 'generator:64,count=x': count 'x' is not a number in 1..9223372036854775807");
        assertThatThrownBy(() -> LinkSpec.parse("generator:64,count=0")).hasMessageContaining("count '0'");
        assertThatThrownBy(() -> LinkSpec.parse("generator:64,rate=5")).hasMessageContaining("only count=<n> may follow");
        assertThatThrownBy(() -> LinkSpec.parse("sinks")).hasMessageContaining("sink or generator:<size>[,count=<n>]");
    }

    @Test
    void aGeneratorOfFramesLongerThanTheDeviceTakesIsRefusedAndLeavesNothingBehind() throws Exception {
        assertThatThrownBy(() -> add("g4", 1500, "generator:1515"))
                .isInstanceOf(BusException.class)
                .hasMessage("generator:1515: frames of 1515 bytes are longer than g4 takes (1514 bytes: its MTU and the Ethernet header)");
        assertThat(mgmt.device("g4")).isNull();
        assertThat(threads("vdpasim-gen-g4")).isZero();
        SimNetDevice d = add("g4", 9000, "sink");
        assertThatThrownBy(() -> mgmt.relink("g4", LinkSpec.parse("generator:9015"))).hasMessageContaining("longer than g4 takes (9014");
        assertThat(d.link()).isEqualTo("sink");
        mgmt.relink("g4", LinkSpec.parse("generator:9014,count=1"));
        assertThat(d.link()).isEqualTo("generator:9014,count=1");
    }
}
