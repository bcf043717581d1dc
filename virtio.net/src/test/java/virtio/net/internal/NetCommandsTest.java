package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.net.internal.Harness.await;
import static virtio.net.internal.Harness.frame;
import static virtio.net.internal.Harness.seg;

import java.util.Map;
import org.junit.jupiter.api.Test;
import virtio.net.api.NetDevice;
import virtio.net.api.NetDeviceConstants;

/** {@code net:link} lists NetDevices by interface index with their counters, as text and JSON. */
class NetCommandsTest {

    static NetCommands commandsFor(Harness h, NetDevice... devices) {
        NetCommands cmd = new NetCommands();
        for (NetDevice d : devices) {
            cmd.addDevice(d, h.services.get(d.name()));
        }
        return cmd;
    }

    @Test
    void listsDevicesWithPerQueueCountersAsTextAndJson() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 2, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            net.setReceiveHandler((q, f) -> { });
            net.send(1, seg(frame(100, 1)));
            await(() -> net.stats().get(1).rxFrames() == 1 && net.stats().get(1).txFrames() == 1, "one frame round trip");
            NetCommands cmd = commandsFor(h, net);
            int index = ifindex(h, "eth0");
            String text = cmd.link(false).render();
            assertThat(text).startsWith(index + ": eth0: <UP> mtu 1500 qpairs 2 parent virtio0\n")
                    .contains("link/ether 52:54:00:12:34:56")
                    .containsPattern("(?m)^ {4}1 +1 +100 +0 +1 +100 +0 +0$")
                    .endsWith("\n    pktgen: sent 0 dropped 0 busy 0  monitor: seen 0");
            assertThat(cmd.link(false, "eth0").render()).isEqualTo(text);
            String json = cmd.link(true).render();
            assertThat(json).startsWith("[{\"index\":" + index + ",\"name\":\"eth0\",\"state\":\"UP\",\"mtu\":1500")
                    .contains("\"rxFrames\":1,\"rxBytes\":100")
                    .endsWith(",\"pktgen\":{\"sent\":0,\"dropped\":0,\"busy\":0},\"monitor\":{\"seen\":0}}]");
            // an unknown device is a refusal, under -j too, not a sentence printed as the answer
            assertThatThrownBy(() -> cmd.link(false, "eth9")).hasMessage("Device \"eth9\" does not exist.");
            assertThatThrownBy(() -> cmd.link(true, "eth9")).hasMessage("Device \"eth9\" does not exist.");
            cmd.removeDevice(net);
            assertThat(cmd.link(false).render()).isEmpty();
        }
    }

    @Test
    void anIndexIsGivenOnceAndNeverAgainEvenWhenTheNameIs() throws Exception {
        try (Harness h = Harness.standard()) {
            VirtioNet first = h.probe();
            NetDevice second = h.probeAnother("virtio1", Map.of());
            int one = ifindex(h, "eth0");
            assertThat(ifindex(h, "eth1")).isEqualTo(one + 1);
            NetCommands cmd = commandsFor(h, first, second);

            h.remove(); // eth0's device goes; its name is free again, its index is not
            cmd.removeDevice(first);
            NetDevice third = h.probeAnother("virtio2", Map.of());
            assertThat(third.name()).isEqualTo("eth0");
            assertThat(ifindex(h, "eth0")).isEqualTo(one + 2);
            cmd.addDevice(third, h.services.get("eth0"));

            // listed by index: eth1 keeps its index and comes first, the new eth0 has the next
            assertThat(cmd.link(false).render().lines().filter(l -> l.matches("\\d+: .*")))
                    .containsExactly((one + 1) + ": eth1: <UP> mtu 1500 qpairs 1 parent virtio1",
                            (one + 2) + ": eth0: <UP> mtu 1500 qpairs 1 parent virtio2");
        }
    }

    /**
     * A new configuration of PID virtio.net makes DS replace the driver component (it has no
     * {@code @Modified}); the devices it probes again must not get the indexes handed out before.
     */
    @Test
    void aDriverThatReplacesAnotherGivesNoIndexTheFirstGave() throws Exception {
        int before;
        try (Harness h = Harness.standard()) {
            h.probe();
            before = ifindex(h, "eth0");
        }
        try (Harness again = Harness.standard()) {
            again.probe();
            assertThat(ifindex(again, "eth0")).isGreaterThan(before);
        }
    }

    private static int ifindex(Harness h, String name) {
        return (Integer) h.services.get(name).get(NetDeviceConstants.NET_IFINDEX);
    }
}
