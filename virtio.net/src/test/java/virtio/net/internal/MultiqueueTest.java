package virtio.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.net.internal.Harness.await;
import static virtio.net.internal.Harness.frame;
import static virtio.net.internal.Harness.seg;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import virtio.net.api.NetDeviceConstants;
import virtio.net.api.SendResult;
import virtio.spec.VirtioNetCtrl;

/** Several queue pairs: VQ_PAIRS_SET at probe, per-queue order, flow hashing, refusal. */
class MultiqueueTest {

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void everyPairCarriesItsOwnFramesInOrder(boolean packed) throws Exception {
        try (Harness h = new Harness(Harness.ALL | (packed ? Harness.PACKED : 0), 1500, 4, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            assertThat(net.queuePairs()).isEqualTo(4);
            assertThat(h.device.datapath.activePairs()).isEqualTo(4);
            assertThat(h.device.datapath.commands).singleElement().satisfies(c -> {
                assertThat(c.cls()).isEqualTo(VirtioNetCtrl.VIRTIO_NET_CTRL_MQ);
                assertThat(c.data()).containsExactly(4, 0);
            });
            List<List<Integer>> got = new ArrayList<>();
            for (int q = 0; q < 4; q++) {
                got.add(new java.util.concurrent.CopyOnWriteArrayList<>());
            }
            net.setReceiveHandler((q, f) -> got.get(q).add(Harness.seqOf(f.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))));
            int perQueue = 500;
            for (int i = 0; i < perQueue; i++) {
                for (int q = 0; q < 4; q++) {
                    byte[] f = frame(60 + (i * 7 + q) % 1400, q * 100_000 + i);
                    while (net.send(q, seg(f)) == SendResult.BUSY) {
                        Thread.onSpinWait();
                    }
                }
            }
            await(() -> got.stream().mapToInt(List::size).sum() == 4 * perQueue, "all frames back");
            for (int q = 0; q < 4; q++) {
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < perQueue; i++) {
                    expected.add(q * 100_000 + i);
                }
                assertThat(got.get(q)).as("queue %d", q).isEqualTo(expected);
            }
            assertThat(net.stats()).hasSize(4).allSatisfy(s -> assertThat(s.rxFrames()).isEqualTo(perQueue));
        }
    }

    @Test
    void theFlowHashKeepsAFlowOnOneQueueAndSpreadsFlows() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 4, 64, Settings.DEFAULTS)) {
            VirtioNet net = h.probe();
            Set<Integer> used = new HashSet<>();
            for (int port = 1000; port < 1064; port++) {
                int q = net.queueFor(seg(udp(port, 53)));
                assertThat(net.queueFor(seg(udp(port, 53)))).isEqualTo(q);
                assertThat(net.queueFor(seg(udp(53, port)))).as("both directions alike").isEqualTo(q);
                used.add(q);
            }
            assertThat(used).as("64 flows over 4 queues").hasSize(4);
            assertThat(net.send(seg(udp(1234, 53)))).isEqualTo(SendResult.SENT);
        }
    }

    @Test
    void aDeviceRefusingVqPairsSetLeavesOnePairInUse() throws Exception {
        try (Harness h = new Harness(Harness.ALL, 1500, 4, 64, Settings.DEFAULTS)) {
            h.device.datapath.refuseCommands = true;
            VirtioNet net = h.probe();
            assertThat(net.queuePairs()).isEqualTo(1);
            assertThat(h.services.get("eth0")).containsEntry(NetDeviceConstants.NET_QUEUES, 1);
            for (int i = 0; i < 50; i++) {
                assertThat(net.queueFor(seg(udp(2000 + i, 80)))).isZero();
                net.send(seg(udp(2000 + i, 80)));
            }
            await(() -> h.device.datapath.rxDelivered.get() == 50, "frames looped on pair 0");
            assertThat(h.device.datapath.txOnInactivePair.get()).isZero();
        }
    }

    /** An IPv4/UDP frame between fixed hosts with these ports. */
    static byte[] udp(int srcPort, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 18);
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 46).putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) 26).putShort((short) 0);
        return b.array();
    }
}
