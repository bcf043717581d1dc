package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.net.internal.Harness.await;
import static virtio.net.internal.Harness.frame;
import static virtio.net.internal.Harness.seg;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import shell.format.Listing;

/** net:monitor: a tap on the NetDevice that records frames without taking them from the handler. */
class FrameMonitorTest {

    @Test
    void printsOneTcpdumpLinePerFrameUpToCountAndTheHandlerStillGetsEveryFrame() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            AtomicInteger handled = new AtomicInteger();
            net.setReceiveHandler((q, f) -> handled.incrementAndGet());
            NetCommands cmd = NetCommandsTest.commandsFor(h, net);
            cmd.pktgen(false, "eth0", "count", "0", "size", "64", "rate", "2000");
            Listing<NetListings.Frame> seen = cmd.monitor(false, "eth0", "count", "10", "timeout", "10");
            cmd.pktgen(false, "eth0", "stop");

            assertThat(seen.records()).hasSize(10);
            assertThat(seen.render().lines()).hasSize(10).allMatch(l -> l.matches(
                    "\\d\\d:\\d\\d:\\d\\d\\.\\d{6} 52:54:00:12:34:56 > ff:ff:ff:ff:ff:ff, ethertype Unknown \\(0x88b5\\), length 64"));
            assertThat(seen.asJson(true).render()).startsWith("[{\"time\":\"").contains("\"src\":\"52:54:00:12:34:56\","
                    + "\"dst\":\"ff:ff:ff:ff:ff:ff\",\"ethertype\":34997,\"length\":64,\"queue\":0}");
            // the monitor only watched: the handler had every frame, the tap is gone
            long sent = net.stats().getFirst().txFrames();
            await(() -> handled.get() == sent, "every frame sent handled");
            assertThat(cmd.link(false, "eth0").render()).contains("monitor: seen 10");
            // a second capture adds to the device's count
            net.send(0, seg(frame(80, 1)));
            Listing<NetListings.Frame> one = cmd.monitor(false, "eth0", "count", "1", "timeout", "1");
            assertThat(one.records().size()).isLessThanOrEqualTo(1);
            assertThat(cmd.link(false, "eth0").render()).contains("monitor: seen " + (10 + one.records().size()));
        }
    }

    @Test
    void theTimeoutBoundsTheWaitAndReturnsWhatCame() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            NetCommands cmd = NetCommandsTest.commandsFor(h, net);
            long start = System.nanoTime();
            assertThat(cmd.monitor(false, "eth0", "count", "5", "timeout", "1").records()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void oneMonitorPerDeviceAndBadArgumentsAreRefused() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet net = h.probe();
            NetCommands cmd = NetCommandsTest.commandsFor(h, net);
            CompletableFuture<Listing<NetListings.Frame>> first =
                    CompletableFuture.supplyAsync(() -> cmd.monitor(false, "eth0", "count", "1", "timeout", "5"));
            await(() -> net.tap() != null, "the first monitor tapping");
            assertThatThrownBy(() -> cmd.monitor(false, "eth0", "count", "1", "timeout", "1"))
                    .hasMessage("a monitor is already running on eth0");
            net.send(0, seg(frame(60, 7)));
            assertThat(first.get().records()).hasSize(1);
            assertThat(net.tap()).isNull(); // the tap goes with the monitor

            assertThatThrownBy(() -> cmd.monitor(false, "eth9")).hasMessage("Device \"eth9\" does not exist.");
            assertThatThrownBy(() -> cmd.monitor(false, "eth0", "count", "0")).hasMessage("invalid count '0': expected a whole number 1..100000");
            assertThatThrownBy(() -> cmd.monitor(false, "eth0", "count", "100001")).hasMessage("invalid count '100001': expected a whole number 1..100000");
            assertThatThrownBy(() -> cmd.monitor(false, "eth0", "timeout", "0")).hasMessage("invalid timeout '0': expected a whole number 1..3600");
            assertThatThrownBy(() -> cmd.monitor(true, "eth0", "size", "1")).hasMessage("unknown argument 'size' (expected one of count, timeout)");
            assertThatThrownBy(() -> cmd.monitor(false, "eth0", "count")).hasMessage("'count' needs a value");
        }
    }

    @Test
    void concurrentQueuesFillTheirOwnSlotsAndNothingPastCountIsRecorded() throws Exception {
        AtomicLong seen = new AtomicLong();
        FrameMonitor m = new FrameMonitor(1000, seen);
        byte[] f = frame(60, 0);
        Thread[] t = new Thread[4];
        for (int i = 0; i < t.length; i++) {
            int q = i;
            t[i] = Thread.ofPlatform().start(() -> {
                for (int n = 0; n < 500; n++) {
                    m.frame(q, seg(f));
                }
            });
        }
        for (Thread x : t) {
            x.join();
        }
        m.await(Duration.ofSeconds(1)); // already full: returns at once
        List<FrameMonitor.Seen> frames = m.frames();
        assertThat(frames).hasSize(1000).allMatch(s -> s.length() == 60 && s.ethertype() == 0x88b5);
        assertThat(seen.get()).isEqualTo(1000);
    }
}
