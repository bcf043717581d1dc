package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.net.internal.Harness.await;
import static virtio.net.internal.Harness.frame;
import static virtio.net.internal.Harness.seg;

import org.junit.jupiter.api.Test;

/** {@code net:link} lists NetDevices with their counters, as text and JSON. */
class NetLinkCommandTest {

    @Test
    void listsDevicesWithPerQueueCountersAsTextAndJson() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 2, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            net.setReceiveHandler((q, f) -> { });
            net.send(1, seg(frame(100, 1)));
            await(() -> net.stats().get(1).rxFrames() == 1 && net.stats().get(1).txFrames() == 1, "one frame round trip");
            NetLinkCommand cmd = new NetLinkCommand();
            cmd.addDevice(net);
            String text = cmd.link(false);
            assertThat(text).startsWith("1: eth0: <UP> mtu 1500 qpairs 2 parent virtio0\n")
                    .contains("link/ether 52:54:00:12:34:56")
                    .containsPattern("(?m)^ {4}1 +1 +100 +0 +1 +100 +0 +0$");
            String json = cmd.link(true);
            assertThat(json).startsWith("[{\"index\":1,\"name\":\"eth0\",\"state\":\"UP\",\"mtu\":1500")
                    .contains("\"rxFrames\":1,\"rxBytes\":100");
            assertThat(cmd.link(false, "eth9")).isEqualTo("Device \"eth9\" does not exist.");
            cmd.removeDevice(net);
            assertThat(cmd.link(false)).isEmpty();
        }
    }
}
