package bench.peer;

import interop.peer.PortStats;
import interop.peer.Testpmd;
import interop.peer.Testpmd.Forward;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Frames per second from DPDK's virtio-user (txonly) into a vhost-user backend: DPDK's own vhost
 * PMD (rxonly) by default, or any backend already listening on a socket ({@code --socket PATH}:
 * busbar's, for the side-by-side comparison). The rates are computed from the counters sampled
 * after a warm-up, over the measured window, on both sides.
 *
 * <pre>
 * bench/vhost-pair [--packed] [--queues N] [--size BYTES] [--seconds S] [--socket PATH]
 * </pre>
 */
public final class VhostUserPair {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration WARMUP = Duration.ofSeconds(1);

    /** What one run measured. */
    public record Result(String backend, boolean packed, int queues, int size, double seconds,
            double txPerSecond, double rxPerSecond, long sent, long received) {
        String line() {
            return String.format(Locale.ROOT,
                    "%-22s %-6s queues=%d size=%dB  %.1f s: virtio-user tx %.3f Mpps, backend rx %s  (sent %d, received %s)",
                    backend, packed ? "packed" : "split", queues, size, seconds, txPerSecond / 1e6,
                    rxPerSecond < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f Mpps", rxPerSecond / 1e6), sent,
                    received < 0 ? "n/a" : Long.toString(received));
        }
    }

    public static void main(String[] args) throws Exception {
        boolean packed = false;
        int queues = 1;
        int size = 64;
        double seconds = 10;
        Path socket = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--packed" -> packed = true;
                case "--queues" -> queues = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--socket" -> socket = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: vhost-pair [--packed] [--queues N] [--size BYTES] [--seconds S] [--socket PATH]");
                    System.exit(2);
                }
            }
        }
        Duration window = Duration.ofMillis((long) (seconds * 1000));
        Result result = socket == null ? againstDpdkVhost(packed, queues, size, window)
                : againstSocket(socket, packed, queues, size, window);
        System.out.println(result.line());
    }

    /** virtio-user txonly into DPDK's vhost PMD rxonly, both started here, forwarding on different CPUs. */
    public static Result againstDpdkVhost(boolean packed, int queues, int size, Duration window) throws Exception {
        Path dir = Files.createTempDirectory("busbar-vhost-pair-");
        Path socket = dir.resolve("vhost.sock");
        try (Testpmd backend = Testpmd.vhost(socket).queues(queues).lcores(0, 1).name("bench-vhost-rxonly").start()) {
            backend.awaitListening(START);
            try (Testpmd frontend = frontend(socket, packed, queues, size)) {
                backend.awaitReady(START).forward(Forward.RXONLY).startForwarding();
                return measure(frontend, backend, "dpdk vhost PMD", packed, queues, size, window);
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    /** virtio-user txonly into a backend listening on {@code socket}; only the sender's side is counted. */
    public static Result againstSocket(Path socket, boolean packed, int queues, int size, Duration window) throws Exception {
        try (Testpmd frontend = frontend(socket, packed, queues, size)) {
            return measure(frontend, null, socket.toString(), packed, queues, size, window);
        }
    }

    private static Testpmd frontend(Path socket, boolean packed, int queues, int size) {
        Testpmd frontend = Testpmd.virtioUser(socket).packed(packed).queues(queues).txpktLength(size).lcores(1, 0)
                .name("bench-virtio-user-txonly").start();
        try {
            frontend.awaitReady(START).forward(Forward.TXONLY);
            return frontend;
        } catch (RuntimeException e) {
            frontend.close();
            throw e;
        }
    }

    private static Result measure(Testpmd frontend, Testpmd backend, String name, boolean packed, int queues, int size,
            Duration window) throws InterruptedException {
        frontend.startForwarding();
        Thread.sleep(WARMUP);
        long t0 = System.nanoTime();
        PortStats tx0 = frontend.portStats(0);
        PortStats rx0 = backend == null ? null : backend.portStats(0);
        Thread.sleep(window);
        long t1 = System.nanoTime();
        PortStats tx1 = frontend.portStats(0);
        PortStats rx1 = backend == null ? null : backend.portStats(0);
        frontend.stopForwarding();
        double elapsed = (t1 - t0) / 1e9;
        double tx = (tx1.txPackets() - tx0.txPackets()) / elapsed;
        double rx = rx1 == null ? -1 : (rx1.rxPackets() - rx0.rxPackets()) / elapsed;
        return new Result(name, packed, queues, size, elapsed, tx, rx, tx1.txPackets() - tx0.txPackets(),
                rx1 == null ? -1 : rx1.rxPackets() - rx0.rxPackets());
    }

    private VhostUserPair() {
    }
}
