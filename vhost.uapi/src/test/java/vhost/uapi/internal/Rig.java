package vhost.uapi.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pci.emul.internal.EmulatedFunctions;
import vdpa.bus.VdpaDevice;
import vdpa.hw.pci.internal.VpDevices;
import vdpa.sim.internal.SimRig;
import vdpa.sim.internal.TestDriver;
import vhost.uapi.internal.endpoint.Endpoint;
import vhost.uapi.internal.endpoint.EndpointConfig;
import vhost.uapi.internal.endpoint.EndpointInfo;
import virtio.spec.VirtioNet;
import virtio.spec.VirtioFeatures;

/**
 * A served simulated NIC ({@link #served}) cabled to a second one that the ring core's test driver
 * drives ({@link #peer}): frames a front-end sends on the served device arrive at the peer and back.
 */
final class Rig implements AutoCloseable {

    static final long MAC_A = 0x02_00_00_00_00_0aL;
    static final long MAC_B = 0x02_00_00_00_00_0bL;
    static final long VERSION_1 = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
    static final long PACKED = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
    static final long EVENT_IDX = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_EVENT_IDX);
    static final long MQ = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MQ);

    /** The simulator of both devices, or null when the served one is a PCI function's ({@link #overPci}). */
    final SimRig sim;
    final VdpaDevice served;
    final VdpaDevice peerDevice;
    final TestDriver peer;
    final Path socket;
    final Endpoint endpoint;
    private final List<TestFrontend> frontends = new ArrayList<>();
    private final AutoCloseable devices;

    Rig(Path dir, int pairs) throws IOException {
        this(dir, new SimRig(), pairs);
    }

    private Rig(Path dir, SimRig sim, int pairs) throws IOException {
        this(dir, sim, sim.device("vdpa0", MAC_A, pairs, "cable:rig"), sim.device("peer", MAC_B, pairs, "cable:rig"), sim);
    }

    private Rig(Path dir, SimRig sim, VdpaDevice served, VdpaDevice peerDevice, AutoCloseable devices) throws IOException {
        this.sim = sim;
        this.served = served;
        this.peerDevice = peerDevice;
        this.devices = devices;
        peer = new TestDriver(peerDevice, TestDriver.BASE, 256);
        socket = dir.resolve("vhost").resolve("vdpa0.sock");
        endpoint = Endpoint.start("vdpa0", served, EndpointConfig.server(socket));
    }

    /**
     * The served device is vp_vdpa's over an emulated virtio-pci function (register access only:
     * no queue state, no stopping one queue, DMA by dma_map alone), cabled to a simulated peer.
     */
    static Rig overPci(Path dir, int pairs) throws Exception {
        return overPci(dir, pairs, d -> d);
    }

    /** As {@link #overPci(Path, int)}, the device served through {@code wrap} (a recording fixture). */
    static Rig overPci(Path dir, int pairs, java.util.function.UnaryOperator<VdpaDevice> wrap) throws Exception {
        EmulatedFunctions functions = new EmulatedFunctions();
        try {
            VdpaDevice served = wrap.apply(VpDevices.over("vdpa0",
                    functions.function("0000:00:04.0", "02:00:00:00:00:0a", pairs, "cable:rig")));
            VdpaDevice peer = functions.sim().device("peer", "02:00:00:00:00:0b", pairs, "cable:rig");
            return new Rig(dir, null, served, peer, functions);
        } catch (Exception | Error e) {
            functions.close();
            throw e;
        }
    }

    TestFrontend frontend() throws IOException {
        TestFrontend f = new TestFrontend(socket);
        frontends.add(f);
        return f;
    }

    EndpointInfo info() {
        return endpoint.info();
    }

    /** Waits until no front-end is connected (the last one's session is closed). */
    void awaitListening() {
        TestFrontend.await(() -> info().state().equals("listening"), "the endpoint to listen again");
    }

    /** Moves {@code n} frames from the front-end's TX ring to the peer, checking each; returns them. */
    void toPeer(TestFrontend fe, TestFrontend.Ring tx, int n, int firstSeq) throws Exception {
        int sent = 0;
        int got = 0;
        long deadline = System.nanoTime() + TestFrontend.WAIT_NANOS;
        peer.postRx(0, 64, 2048);
        while (got < n) {
            while (sent < n && sent - got < 32 && fe.send(tx, TestDriver.frame(MAC_B, MAC_A, 60 + (sent % 1400), firstSeq + sent))) {
                sent++;
            }
            fe.reapTx(tx);
            List<TestDriver.Frame> frames = peer.poll(0);
            for (TestDriver.Frame f : frames) {
                byte[] want = TestDriver.frame(MAC_B, MAC_A, 60 + (got % 1400), firstSeq + got);
                if (!java.util.Arrays.equals(f.bytes(), want)) {
                    throw new AssertionError("frame " + got + " arrived changed");
                }
                got++;
            }
            if (!frames.isEmpty()) {
                peer.postRx(0, frames.size(), 2048);
                deadline = System.nanoTime() + TestFrontend.WAIT_NANOS;
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + got + " of " + n + " frames reached the peer");
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Moves {@code n} frames from the peer to the front-end's RX ring, checking each. */
    void fromPeer(TestFrontend fe, TestFrontend.Ring rx, int n) throws Exception {
        int sent = 0;
        int got = 0;
        long deadline = System.nanoTime() + TestFrontend.WAIT_NANOS;
        while (got < n) {
            while (sent < n && sent - got < 32 && peer.trySend(0, TestDriver.frame(MAC_A, MAC_B, 60 + sent, sent))) {
                sent++;
            }
            peer.reapTx(0);
            List<byte[]> frames = fe.receive(rx);
            for (byte[] f : frames) {
                if (!java.util.Arrays.equals(f, TestDriver.frame(MAC_A, MAC_B, 60 + got, got))) {
                    throw new AssertionError("frame " + got + " arrived changed");
                }
                got++;
            }
            if (!frames.isEmpty()) {
                deadline = System.nanoTime() + TestFrontend.WAIT_NANOS;
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + got + " of " + n + " frames reached the front-end");
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Takes whatever the peer still receives until it is quiet for 200 ms (frames of a front-end that went). */
    void drainPeer() throws InterruptedException {
        int quiet = 0;
        while (quiet < 4) {
            peer.reapTx(0);
            int n = peer.poll(0).size();
            if (n > 0) {
                peer.postRx(0, n, 2048);
                quiet = 0;
            } else {
                quiet++;
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        frontends.forEach(TestFrontend::close);
        endpoint.close();
        peer.close();
        try {
            devices.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
