package vhost.uapi.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import vdpa.sim.internal.TestDriver;

/**
 * The test front-end as a process of its own, for tests that serve a device from a runtime they
 * do not share an address space with: {@code FrontendMain <socket> <own mac> <peer mac> <frames to send>
 * <frames to expect>}. It sets up one queue pair, prints {@code READY}, sends its frames to the
 * peer, waits (at most a minute) for the frames it expects from the peer, prints
 * {@code SENT <n> RECEIVED <m>} and exits 0; anything else (the backend closing the connection
 * too) exits 1.
 */
public final class FrontendMain {
    private FrontendMain() {}

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        long own = mac(args[1]);
        long peer = mac(args[2]);
        int send = Integer.parseInt(args[3]);
        int expect = Integer.parseInt(args[4]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (TestFrontend fe = new TestFrontend(socket)) {
            fe.negotiate(Rig.VERSION_1, TestFrontend.ALL_PROTOCOL);
            TestFrontend.Ring rx = fe.ring(0, 256, true);
            TestFrontend.Ring tx = fe.ring(1, 256, true);
            fe.driverOk();
            fe.postRx(rx, 256, 2048);
            System.out.println("READY");
            System.out.flush();
            int sent = 0;
            int received = 0;
            while ((sent < send || received < expect) && System.nanoTime() < deadline) {
                boolean moved = false;
                while (sent < send && fe.send(tx, TestDriver.frame(peer, own, 60 + sent % 1000, sent))) {
                    sent++;
                    moved = true;
                }
                moved |= fe.reapTx(tx) > 0;
                for (byte[] f : fe.receive(rx)) {
                    if (f.length >= 14 && MemorySegment.ofArray(f).get(MAC, 0) >>> 16 == own) {
                        received++;
                    }
                    moved = true;
                }
                if (!moved) {
                    if (!fe.connected()) {
                        System.out.println("DISCONNECTED after sending " + sent + " and receiving " + received);
                        System.exit(1);
                    }
                    Thread.sleep(0, 200_000);
                }
            }
            // the last TX buffers back: every frame sent has left the ring
            while (tx.queue.freeDescriptors() < 256 && System.nanoTime() < deadline) {
                fe.reapTx(tx);
                Thread.sleep(1);
            }
            System.out.println("SENT " + sent + " RECEIVED " + received);
            System.exit(sent == send && received == expect ? 0 : 1);
        }
    }

    private static final ValueLayout.OfLong MAC = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static long mac(String s) {
        return Long.parseLong(s.replace(":", ""), 16);
    }

}
