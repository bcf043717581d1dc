package bench.peer;

import bench.peer.VhostOptions.Direction;
import bench.peer.VhostOptions.Ring;
import interop.peer.Busbar;
import interop.peer.PeerException;
import interop.peer.PortStats;
import interop.peer.Testpmd;
import interop.peer.Testpmd.Forward;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * busbar's vhost-user backend beside DPDK's vhost PMD, with DPDK's virtio-user as the frontend of
 * both (issue 11's userspace datapath against DPDK). For each direction, ring layout and frame
 * size, interleaved and repeated:
 *
 * <ul>
 *   <li><b>tx</b>: virtio-user txonly into busbar (a vdpa.sim net device whose link is a
 *       {@code sink}, served by vhost_vdpa), and into the vhost PMD in rxonly;
 *   <li><b>rx</b>: busbar's {@code generator:<size>} link into virtio-user rxonly, and the vhost PMD
 *       in txonly into virtio-user rxonly.
 * </ul>
 *
 * Both sides are counted the same way, by virtio-user's port counters (TX-packets in tx, RX-packets
 * in rx), sampled every second of the window. Same core layout on both sides: the frontend
 * forwards on CPU 0; the backend forwards on CPU 1 (testpmd's forwarding lcore; the whole busbar
 * runtime, every thread, pinned there with taskset). One busbar runtime serves the whole session
 * (its device relinked between runs, with no frontend connected); each testpmd is started for one
 * run. The backend's CPU time over the window, from /proc/[pid]/stat, gives its nanoseconds of CPU
 * per frame.
 */
public final class VhostSideBySide {

    /** The CPU the frontend forwards on, and the backend's. */
    static final int FRONTEND_CPU = 0;
    static final int BACKEND_CPU = 1;
    static final String DEVICE = "vdpa0";
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofSeconds(30);
    /** /proc/[pid]/stat counts CPU time in USER_HZ ticks, 100 a second on Linux whatever the kernel's HZ. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** One run: a backend's rate over the window, the per-second series, its CPU per frame. */
    public record Sample(String backend, Direction direction, Ring ring, int size, int repeat, double rate, double[] perSecond,
            long frames, double cpuNsPerFrame) {
        String line() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "result VhostSideBySide.%s backend=%s ring=%s size=%d repeat=%d unit=ops/s frames=%d cpu_ns_per_frame=%.1f rate=%.0f series=",
                    direction.word(), backend, ring.word(), size, repeat, frames, cpuNsPerFrame, rate));
            for (int i = 0; i < perSecond.length; i++) {
                sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.0f", perSecond[i]));
            }
            return sb.toString();
        }
    }

    /** One combination's results over the repeats, busbar beside DPDK. */
    public record Row(Direction direction, Ring ring, int size, Spread dpdk, Spread busbar, Spread ratio, Spread dpdkCpu,
            Spread busbarCpu) {

        /** The row of one combination from its samples, paired by repeat. */
        static Row of(List<Sample> samples, Direction d, Ring r, int size) {
            List<Sample> dpdk = pick(samples, "dpdk", d, r, size);
            List<Sample> busbar = pick(samples, "busbar", d, r, size);
            double[] dr = dpdk.stream().mapToDouble(Sample::rate).toArray();
            double[] br = busbar.stream().mapToDouble(Sample::rate).toArray();
            return new Row(d, r, size, Spread.of(dr), Spread.of(br), Spread.ofRatios(br, dr),
                    Spread.of(dpdk.stream().mapToDouble(Sample::cpuNsPerFrame).toArray()),
                    Spread.of(busbar.stream().mapToDouble(Sample::cpuNsPerFrame).toArray()));
        }

        private static List<Sample> pick(List<Sample> all, String backend, Direction d, Ring r, int size) {
            return all.stream().filter(s -> s.backend().equals(backend) && s.direction() == d && s.ring() == r && s.size() == size)
                    .sorted(Comparator.comparingInt(Sample::repeat)).toList();
        }
    }

    static final String HEADER = String.format(Locale.ROOT, "%-3s %-6s %5s  %-26s  %-26s  %-22s  %-24s  %-24s", "DIR", "RING",
            "SIZE", "DPDK_MPPS med [min..max]", "BUSBAR_MPPS med [min..max]", "BUSBAR/DPDK", "DPDK_CPU_NS/FRAME",
            "BUSBAR_CPU_NS/FRAME");

    /** The table: one line per combination, the median and the spread over the repeats. */
    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-3s %-6s %5d  %-26s  %-26s  %-22s  %-24s  %-24s%n", r.direction().word(),
                    r.ring().word(), r.size(), r.dpdk().format(1e-6, 2), r.busbar().format(1e-6, 2), r.ratio().format(1, 2),
                    r.dpdkCpu().format(1, 1), r.busbarCpu().format(1, 1)));
        }
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        VhostOptions o;
        try {
            o = VhostOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench/run --vhost: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<Row> rows = run(o, System.out);
        System.out.println();
        System.out.print(table(rows));
    }

    /**
     * Runs every combination {@code o.repeat()} times, each repeat one of every combination (busbar
     * and DPDK back to back, their order alternating), writes the samples to {@code o.out()} and
     * returns the rows. Progress goes to {@code log}.
     */
    public static List<Row> run(VhostOptions o, PrintStream log) throws IOException, InterruptedException {
        int maxSize = o.sizes().stream().mapToInt(Integer::intValue).max().orElseThrow();
        Path dir = Files.createTempDirectory("bb-vs-");
        List<Sample> samples = new ArrayList<>();
        Path out = o.out().toAbsolutePath();
        Files.createDirectories(out.getParent());
        // a run is about warm-up + window + a few seconds of start and stop per side
        Duration lifetime = Duration.ofSeconds((long) (o.runs() * (o.warmup() + o.seconds() + 15)) + 300);
        try (BusbarBackend busbar = BusbarBackend.start(dir, maxSize, lifetime)) {
            Files.writeString(out, "# bench/run --vhost " + o + "\n# " + uptime() + "\n");
            int n = 0;
            for (int rep = 1; rep <= o.repeat(); rep++) {
                for (Direction d : o.directions()) {
                    for (Ring r : o.rings()) {
                        for (int size : o.sizes()) {
                            boolean busbarFirst = (n++ % 2) == 1;
                            for (int side = 0; side < 2; side++) {
                                boolean onBusbar = (side == 0) == busbarFirst;
                                Sample s = onBusbar ? busbar.measure(o, d, r, size, rep) : dpdk(o, d, r, size, rep, dir);
                                samples.add(s);
                                Files.writeString(out, s.line() + "\n", java.nio.file.StandardOpenOption.APPEND);
                                log.printf(Locale.ROOT, "%-6s %s %-6s %4d B repeat %d: %.3f Mpps, %.1f ns CPU per frame%n", s.backend(),
                                        d.word(), r.word(), size, rep, s.rate() / 1e6, s.cpuNsPerFrame());
                            }
                        }
                    }
                }
            }
            Files.writeString(out, "# " + uptime() + "\n", java.nio.file.StandardOpenOption.APPEND);
        } finally {
            deleteTree(dir);
        }
        List<Row> rows = new ArrayList<>();
        for (Direction d : o.directions()) {
            for (Ring r : o.rings()) {
                for (int size : o.sizes()) {
                    rows.add(Row.of(samples, d, r, size));
                }
            }
        }
        return rows;
    }

    /** DPDK's vhost PMD beside the same frontend: rxonly under a txonly frontend, txonly above an rxonly one. */
    static Sample dpdk(VhostOptions o, Direction d, Ring r, int size, int repeat, Path dir) throws InterruptedException {
        Path socket = dir.resolve("dpdk.sock");
        Duration lifetime = Duration.ofSeconds((long) (o.warmup() + o.seconds()) + 120);
        try (Testpmd backend = Testpmd.vhost(socket).lcores(FRONTEND_CPU, BACKEND_CPU).txpktLength(size).lifetime(lifetime)
                .name("bench-vhost-pmd").start()) {
            backend.awaitListening(START);
            try (Testpmd frontend = frontend(socket, d, r, size, lifetime)) {
                backend.awaitReady(START).forward(d == Direction.TX ? Forward.RXONLY : Forward.TXONLY);
                if (d == Direction.TX) {
                    backend.startForwarding();
                    frontend.startForwarding();
                } else {
                    frontend.startForwarding();
                    backend.startForwarding();
                }
                return window(o, "dpdk", d, r, size, repeat, frontend, backend.process().pid());
            }
        }
    }

    /** DPDK's virtio-user on {@code socket}, ready, in txonly (tx) or rxonly (rx), not yet forwarding. */
    static Testpmd frontend(Path socket, Direction d, Ring r, int size, Duration lifetime) {
        Testpmd t = Testpmd.virtioUser(socket).packed(r == Ring.PACKED).txpktLength(size).lcores(BACKEND_CPU, FRONTEND_CPU)
                .lifetime(lifetime).name("bench-virtio-user-" + (d == Direction.TX ? "txonly" : "rxonly")).start();
        try {
            t.awaitReady(START).forward(d == Direction.TX ? Forward.TXONLY : Forward.RXONLY);
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * The warm-up, then the window: the frontend's counter (TX-packets for tx, RX-packets for rx)
     * every second, and the backend's CPU time at both ends.
     */
    static Sample window(VhostOptions o, String backend, Direction d, Ring r, int size, int repeat, Testpmd frontend,
            long backendPid) throws InterruptedException {
        Thread.sleep((long) (o.warmup() * 1000));
        int seconds = (int) Math.ceil(o.seconds());
        double[] perSecond = new double[seconds];
        long window = (long) (o.seconds() * 1e9);
        long cpu0 = cpuNanos(backendPid);
        long t0 = System.nanoTime();
        long c0 = count(frontend.portStats(0), d);
        long prevT = t0;
        long prevC = c0;
        for (int i = 0; i < seconds; i++) {
            long until = t0 + Math.min(window, (i + 1) * 1_000_000_000L);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, until - System.nanoTime()));
            long c = count(frontend.portStats(0), d);
            long t = System.nanoTime();
            perSecond[i] = (c - prevC) * 1e9 / (t - prevT);
            prevT = t;
            prevC = c;
        }
        long cpu1 = cpuNanos(backendPid);
        long frames = prevC - c0;
        frontend.stopForwarding();
        double rate = frames * 1e9 / (prevT - t0);
        return new Sample(backend, d, r, size, repeat, rate, perSecond, frames, frames > 0 ? (double) (cpu1 - cpu0) / frames : 0);
    }

    private static long count(PortStats s, Direction d) {
        return d == Direction.TX ? s.txPackets() : s.rxPackets();
    }

    /** The process's CPU time so far (user and system, every thread), from /proc/[pid]/stat. */
    static long cpuNanos(long pid) {
        try {
            return cpuNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            throw new PeerException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }

    /** utime + stime of one /proc/[pid]/stat line, in nanoseconds (fields 14 and 15; the name may hold blanks and parentheses). */
    static long cpuNanos(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        // f[0] is field 3 (state): field n is f[n - 3]
        return (Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3])) * NANOS_PER_TICK;
    }

    private static String uptime() {
        try {
            return "loadavg " + Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "loadavg unknown";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The busbar runtime jar as the backend: one simulated net device, {@value #DEVICE}, pinned to
     * vhost_vdpa, with an MTU that fits the largest frame; every thread on {@link #BACKEND_CPU}.
     */
    static final class BusbarBackend implements AutoCloseable {
        private final Busbar busbar;

        private BusbarBackend(Busbar busbar) {
            this.busbar = busbar;
        }

        static BusbarBackend start(Path dir, int maxSize, Duration lifetime) {
            Path home = dir.resolve("home");
            int mtu = Math.max(1500, maxSize - virtio.net.api.Ethernet.ETH_HLEN);
            Busbar.deploy(home, "vdpa.sim.net-" + DEVICE + ".cfg", "name=" + DEVICE + "\nmac=52:54:00:be:0b:00\nmtu=" + mtu
                    + "\nmax_vqp=1\nlink=sink\ndriver_override=vhost_vdpa\n");
            Busbar b = Busbar.start("bench-busbar", home, dir.resolve("run"), lifetime);
            try {
                pin(b.process().pid(), BACKEND_CPU);
                b.awaitShell("vhost:show " + DEVICE, Pattern.compile("server listening"), START);
                return new BusbarBackend(b);
            } catch (RuntimeException | InterruptedException e) {
                b.close();
                throw e instanceof RuntimeException re ? re : new PeerException("interrupted", e);
            }
        }

        /** One run: the device relinked (sink for tx, generator for rx), a fresh frontend on its socket. */
        Sample measure(VhostOptions o, Direction d, Ring r, int size, int repeat) throws InterruptedException {
            String link = d == Direction.TX ? "sink" : "generator:" + size;
            String shown = busbar.shell("vdpasim:link " + DEVICE + " " + link, STEP);
            if (!shown.contains(link)) {
                throw new PeerException("vdpasim:link " + DEVICE + " " + link + " answered: " + shown);
            }
            busbar.awaitShell("vhost:show " + DEVICE, Pattern.compile("server listening"), STEP);
            Duration lifetime = Duration.ofSeconds((long) (o.warmup() + o.seconds()) + 120);
            try (Testpmd frontend = frontend(busbar.socket(DEVICE), d, r, size, lifetime)) {
                busbar.awaitShell("vhost:show " + DEVICE, Pattern.compile("connected frontend pid " + frontend.process().pid()), STEP);
                frontend.startForwarding();
                return window(o, "busbar", d, r, size, repeat, frontend, busbar.process().pid());
            }
        }

        /** Ends the shell's input (the framework stops, its devices go), then kills it by its pid whatever happened. */
        @Override
        public void close() {
            try {
                busbar.endInput();
                busbar.process().waitFor(Duration.ofSeconds(20));
            } catch (PeerException notStopped) {
                // it is killed below either way
            } finally {
                busbar.close();
            }
        }
    }

    /** Pins every thread of {@code pid} to {@code cpu} (threads it starts later inherit it). */
    static void pin(long pid, int cpu) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(cpu), Long.toString(pid))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new PeerException("taskset did not finish within 10 s");
            }
            if (p.exitValue() != 0) {
                throw new PeerException("taskset -a -p -c " + cpu + " " + pid + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new PeerException("cannot run taskset: " + e.getMessage(), e);
        }
    }

    private VhostSideBySide() {
    }
}
