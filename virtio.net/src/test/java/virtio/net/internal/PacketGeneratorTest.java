package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.net.internal.Harness.await;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import virtio.net.api.FrameHandler;
import virtio.net.api.LinkState;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDevice;
import virtio.net.api.QueueStats;
import virtio.net.api.SendResult;

/** net:pktgen on the driver's NetDevice over the loopback device, and the generator's loop on its own. */
class PacketGeneratorTest {

    static final MacAddress PEER = MacAddress.parse("52:54:00:12:34:01");

    @Test
    void aRunSendsCountFramesOfSizeToTheDestinationOnTheQueueAndEveryOneArrives() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 2, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            List<byte[]> got = new CopyOnWriteArrayList<>();
            List<Integer> queues = new CopyOnWriteArrayList<>();
            net.setReceiveHandler((q, f) -> {
                got.add(f.toArray(ValueLayout.JAVA_BYTE));
                queues.add(q);
            });
            NetCommands cmd = NetCommandsTest.commandsFor(h, net);
            String started = cmd.pktgen(false, "eth0", "count", "300", "size", "64", "dst", PEER.toString(), "queue", "1").render();
            assertThat(started).startsWith("DEVICE  STATE").contains("eth0").contains(" 300 ").contains(" 64 ");
            await(() -> cmd.pktgen(false, "eth0", "show").render().contains(" done "), "the run to finish");
            // every frame either sent or counted as dropped; back-pressure retried, never lost
            String done = cmd.pktgen(true, "eth0", "show").render();
            assertThat(done).contains("\"state\":\"done\",\"count\":300,\"size\":64,\"dst\":\"52:54:00:12:34:01\",\"queue\":1")
                    .contains("\"sent\":300,\"dropped\":0");
            await(() -> got.size() == 300, "300 frames back through the loopback");
            assertThat(queues).containsOnly(1);
            ByteOrder be = ByteOrder.BIG_ENDIAN;
            for (int i = 0; i < got.size(); i++) {
                MemorySegment f = MemorySegment.ofArray(got.get(i));
                assertThat(f.byteSize()).isEqualTo(64);
                assertThat(f.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(be), 12)).isEqualTo((short) 0x88b5);
                assertThat(f.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(be), 14)).isEqualTo(PacketGenerator.PKTGEN_MAGIC);
                assertThat(f.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(be), 18)).isEqualTo(i); // in order, on one queue
            }
            assertThat(java.util.Arrays.copyOfRange(got.getFirst(), 0, 6)).isEqualTo(PEER.octets());
            assertThat(java.util.Arrays.copyOfRange(got.getFirst(), 6, 12)).isEqualTo(Harness.MAC.octets());
            QueueStats q1 = net.stats().get(1);
            assertThat(q1.txFrames()).isEqualTo(300);
            assertThat(cmd.link(false, "eth0").render()).contains("pktgen: sent 300 dropped 0 busy " + q1.txBusy());
        }
    }

    @Test
    void untilStoppedRunsUntilStopAndAStartWhileRunningIsRefused() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            net.setReceiveHandler((q, f) -> { });
            NetCommands cmd = NetCommandsTest.commandsFor(h, net);
            cmd.pktgen(false, "eth0", "count", "0", "rate", "5000");
            await(() -> net.stats().getFirst().txFrames() > 10, "frames going out");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "count", "5"))
                    .hasMessage("pktgen is already running on eth0 (net:pktgen eth0 stop)");
            String stopped = cmd.pktgen(false, "eth0", "stop").render();
            assertThat(stopped).contains(" stopped ");
            long sent = cmd.pktgen(false, "eth0", "show").records().getFirst().sent();
            Thread.sleep(50);
            assertThat(cmd.pktgen(false, "eth0", "show").records().getFirst().sent()).isEqualTo(sent);
            // what it sent, the device used: in flight at the stop, not lost
            await(() -> net.stats().getFirst().txFrames() == sent, "the frames in flight used");
            assertThat(cmd.pktgen(false).render()).contains("eth0").contains(" stopped ");
        }
    }

    @Test
    void theRatePacesTheRun() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            net.setReceiveHandler((q, f) -> { });
            NetCommands cmd = NetCommandsTest.commandsFor(h, net);
            long start = System.nanoTime();
            cmd.pktgen(false, "eth0", "count", "21", "rate", "1000");
            await(() -> cmd.pktgen(false, "eth0", "show").render().contains(" done "), "the run to finish");
            // 21 frames 1 ms apart take at least 20 ms: a lower bound the pacing guarantees, not a speed claim
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheReasonAndStartNothing() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            NetCommands cmd = NetCommandsTest.commandsFor(h, net);
            assertThatThrownBy(() -> cmd.pktgen(false, "eth9")).hasMessage("Device \"eth9\" does not exist.");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "burst", "3"))
                    .hasMessage("unknown argument 'burst' (expected one of count, size, dst, queue, rate)");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "count")).hasMessage("'count' needs a value");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "count", "1", "count", "2")).hasMessage("'count' given twice");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "count", "abc"))
                    .hasMessage("invalid count 'abc': expected a whole number 0..4611686018427387903");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "size", "59")).hasMessage("invalid size '59': expected a whole number 60..1514");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "size", "1515")).hasMessage("invalid size '1515': expected a whole number 60..1514");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "queue", "1")).hasMessage("invalid queue '1': expected a whole number 0..0");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "rate", "-1")).hasMessage("invalid rate '-1': expected a whole number 0..1000000000");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "dst", "zz")).hasMessageStartingWith("invalid mac 'zz'");
            assertThatThrownBy(() -> cmd.pktgen(false, "eth0", "stop")).hasMessage("no pktgen run on eth0");
            assertThatThrownBy(() -> cmd.pktgen(true, "eth0", "show")).hasMessage("no pktgen run on eth0");
            assertThat(cmd.pktgen(false).render()).doesNotContain("eth0");
            assertThat(net.stats().getFirst().txFrames()).isZero();
        }
    }

    @Test
    void downEndsTheRunWithTheFrameCountedAsDropped() {
        StubDevice d = new StubDevice();
        d.answer = SendResult.DOWN;
        NetPort.Counters c = new NetPort.Counters();
        PacketGenerator g = new PacketGenerator(d, new PacketGenerator.Params(10, 60, MacAddress.BROADCAST, 0, 0), c);
        g.run();
        assertThat(g.state()).isEqualTo(PacketGenerator.State.DOWN);
        assertThat(g.dropped()).isEqualTo(1);
        assertThat(g.sent()).isZero();
    }

    @Test
    void busyIsRetriedNotLostAndNotDropped() {
        StubDevice d = new StubDevice();
        d.busyEvery = 3; // every third offer is refused with back-pressure
        NetPort.Counters c = new NetPort.Counters();
        PacketGenerator g = new PacketGenerator(d, new PacketGenerator.Params(100, 60, MacAddress.BROADCAST, 0, 0), c);
        g.run();
        assertThat(g.sent()).isEqualTo(100);
        assertThat(g.dropped()).isZero();
        assertThat(g.busy()).isPositive();
        assertThat(d.sent.get()).isEqualTo(100);
    }

    @Test
    void theLoopAllocatesNothingPerFrame() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        StubDevice d = new StubDevice();
        NetPort.Counters c = new NetPort.Counters();
        new PacketGenerator(d, new PacketGenerator.Params(200_000, 64, MacAddress.BROADCAST, 0, 0), c).run(); // warm up
        PacketGenerator g = new PacketGenerator(d, new PacketGenerator.Params(100_000, 64, MacAddress.BROADCAST, 0, 0), c);
        long before = threads.getCurrentThreadAllocatedBytes();
        g.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(g.sent()).isEqualTo(100_000);
        // one object per frame would be >= 1.6 MB; a little slack for the measuring itself
        assertThat(allocated).isLessThan(10_000);
    }

    /** A NetDevice that takes frames and counts them, or answers as told; allocates nothing per send. */
    static final class StubDevice implements NetDevice {
        final AtomicLong sent = new AtomicLong();
        final AtomicReference<FrameHandler> tap = new AtomicReference<>();
        volatile SendResult answer = SendResult.SENT;
        int busyEvery;
        private int offers;

        @Override public SendResult send(int queue, MemorySegment frame) {
            if (busyEvery > 0 && ++offers % busyEvery == 0) {
                return SendResult.BUSY;
            }
            if (answer == SendResult.SENT) {
                sent.incrementAndGet();
            }
            return answer;
        }
        @Override public String name() { return "stub0"; }
        @Override public MacAddress mac() { return Harness.MAC; }
        @Override public int mtu() { return 1500; }
        @Override public LinkState link() { return LinkState.UP; }
        @Override public int queuePairs() { return 1; }
        @Override public String parentDevice() { return "none"; }
        @Override public int queueFor(MemorySegment frame) { return 0; }
        @Override public void setReceiveHandler(FrameHandler handler) { }
        @Override public void setTap(FrameHandler t) { tap.set(t); }
        @Override public int poll(int queue, FrameHandler handler, int budget) { return 0; }
        @Override public void setPromiscuous(boolean on) { }
        @Override public void setAllMulticast(boolean on) { }
        @Override public void setMulticastList(List<MacAddress> addresses) { }
        @Override public void setMacAddress(MacAddress mac) { }
        @Override public boolean promiscuous() { return false; }
        @Override public boolean allMulticast() { return false; }
        @Override public List<QueueStats> stats() { return List.of(); }
    }
}
