package interop.peer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * DPDK's {@code dpdk-testpmd} on one vhost-user port, driven through its interactive prompt.
 *
 * <p>Two roles: {@link #virtioUser} is the frontend (DPDK's virtio-user PMD, the driver side of the
 * rings, as a guest's virtio-net driver would be); {@link #vhost} is the backend (DPDK's vhost PMD,
 * the device side, the role busbar's vhost-user backend plays). Either side may listen on the
 * socket; by default the backend listens and the frontend connects.
 *
 * <p>Every instance runs without hugepages and without PCI ({@code --no-huge -m 512 --no-pci}: the
 * frontend's memory is then one memfd region the backend maps), under its own
 * {@code --file-prefix}, bounded by its lifetime; {@link #close()} types {@code quit}, then kills it
 * by its pid and removes its runtime folder and, if it listened, its socket.
 */
public final class Testpmd implements AutoCloseable {

    public static final String EXECUTABLE = "dpdk-testpmd";

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern READY = Pattern.compile("^Checking link statuses\\.\\.\\.$");
    private static final Pattern DONE = Pattern.compile("^Done$");
    private static final Pattern STARTED = Pattern.compile("packet forwarding - ports=|Packet forwarding already started");
    private static final Pattern STOPPED = Pattern.compile("^Done\\.$|Packet forwarding not started");

    /** testpmd's forwarding engines used here ({@code set fwd <name>}). */
    public enum Forward {
        /** Receive and send the same frames back out (the port pairs with itself). */
        IO,
        /** Like io, with the Ethernet source and destination swapped. */
        MACSWAP,
        /** Send generated UDP frames ({@code --txpkts} bytes) as fast as the ring takes them. */
        TXONLY,
        /** Receive and drop, counting. */
        RXONLY,
        /** Answer ARP requests and ICMP echo requests for any address: a responder for pings. */
        ICMPECHO;

        String command() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PeerProcess process;
    private final Path socket;

    private Testpmd(PeerProcess process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /** DPDK's virtio-user PMD on {@code socket}: the frontend; connects unless {@link Builder#listen}. */
    public static Builder virtioUser(Path socket) {
        return new Builder(true, socket);
    }

    /** DPDK's vhost PMD on {@code socket}: the backend; listens unless {@code listen(false)}. */
    public static Builder vhost(Path socket) {
        return new Builder(false, socket);
    }

    public static final class Builder {
        private final boolean frontend;
        private final Path socket;
        private boolean listen;
        private boolean packed;
        private Boolean mrgRxbuf;
        private int queues = 1;
        private int mainLcore = 0;
        private int forwardingLcore = 1;
        private int mbufs = 16384;
        private int txpktLength = 64;
        private Duration lifetime = Duration.ofMinutes(3);
        private String name;

        private Builder(boolean frontend, Path socket) {
            this.frontend = frontend;
            this.socket = socket.toAbsolutePath();
            this.listen = !frontend;
        }

        /** Listen on the socket (vhost PMD by default; virtio-user's {@code server=1}) or connect to it. */
        public Builder listen(boolean listen) {
            this.listen = listen;
            return this;
        }

        /** virtio-user only: offer a packed ring ({@code packed_vq=1}). */
        public Builder packed(boolean packed) {
            requireFrontend("packed_vq");
            this.packed = packed;
            return this;
        }

        /** virtio-user only: offer VIRTIO_NET_F_MRG_RXBUF or not ({@code mrg_rxbuf=0|1}). */
        public Builder mrgRxbuf(boolean mrgRxbuf) {
            requireFrontend("mrg_rxbuf");
            this.mrgRxbuf = mrgRxbuf;
            return this;
        }

        /** Queue pairs: the device's ({@code queues=N}) and those testpmd uses ({@code --rxq --txq}). */
        public Builder queues(int queues) {
            if (queues < 1) {
                throw new IllegalArgumentException("queues must be at least 1: " + queues);
            }
            this.queues = queues;
            return this;
        }

        /**
         * The CPUs: the main lcore (the prompt) and the one that forwards (busy-polls). Two testpmd
         * instances on one machine should forward on different CPUs.
         */
        public Builder lcores(int main, int forwarding) {
            if (main == forwarding || main < 0 || forwarding < 0) {
                throw new IllegalArgumentException("main and forwarding lcore must be two CPUs: " + main + ", " + forwarding);
            }
            this.mainLcore = main;
            this.forwardingLcore = forwarding;
            return this;
        }

        /** Frames per txonly burst element ({@code --txpkts}, bytes without the FCS). */
        public Builder txpktLength(int bytes) {
            this.txpktLength = bytes;
            return this;
        }

        public Builder mbufs(int mbufs) {
            this.mbufs = mbufs;
            return this;
        }

        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The {@code --vdev} argument. */
        public String vdev() {
            StringBuilder vdev = new StringBuilder();
            if (frontend) {
                vdev.append("net_virtio_user0,path=").append(socket).append(",queues=").append(queues);
                if (packed) {
                    vdev.append(",packed_vq=1");
                }
                if (mrgRxbuf != null) {
                    vdev.append(",mrg_rxbuf=").append(mrgRxbuf ? 1 : 0);
                }
                if (listen) {
                    vdev.append(",server=1");
                }
            } else {
                vdev.append("net_vhost0,iface=").append(socket).append(",queues=").append(queues);
                if (!listen) {
                    vdev.append(",client=1");
                }
            }
            return vdev.toString();
        }

        /** The whole command line, for reports and for running it by hand. */
        public List<String> command(String filePrefix) {
            // stdbuf (which execs testpmd: the pid stays its own) line-buffers its printf output,
            // which a pipe would otherwise hold back until exit; the prompt's own output is unbuffered
            List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", EXECUTABLE, "--no-huge", "-m", "512", "--no-pci",
                    "--no-telemetry", "--file-prefix=" + filePrefix, "-l", mainLcore + "," + forwardingLcore,
                    "--main-lcore", Integer.toString(mainLcore), "--vdev", vdev(),
                    "--", "-i", "--total-num-mbufs=" + mbufs, "--rxq=" + queues, "--txq=" + queues,
                    "--nb-cores=1", "--txpkts=" + txpktLength));
            return List.copyOf(command);
        }

        /**
         * Starts it. It returns at once: a listening frontend waits in its start-up for the backend
         * to connect, so wait with {@link #awaitListening} or {@link #awaitReady} as the order needs.
         */
        public Testpmd start() {
            String prefix = "busbar-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
            String label = name != null ? name : (frontend ? "virtio-user" : "vhost") + "-" + prefix;
            List<Path> cleanup = new ArrayList<>(runtimeDirs(prefix));
            if (listen) {
                cleanup.add(socket);
            }
            PeerProcess process = PeerProcess.start(label, command(prefix), lifetime, cleanup,
                    p -> p.type("quit"), Duration.ofSeconds(10));
            return new Testpmd(process, socket);
        }

        private void requireFrontend(String what) {
            if (!frontend) {
                throw new IllegalArgumentException(what + " is a virtio-user option; the vhost PMD takes what the frontend offers");
            }
        }
    }

    /** Waits until the socket this side listens on exists. */
    public Testpmd awaitListening(Duration timeout) {
        process.awaitPath(socket, timeout);
        return this;
    }

    /** Waits until its port is configured and the prompt takes commands. */
    public Testpmd awaitReady(Duration timeout) {
        PeerProcess.Found checking = process.await(0, READY, timeout);
        process.await(checking.index() + 1, DONE, timeout);
        return this;
    }

    /** {@code set fwd <mode>}. */
    public Testpmd forward(Forward mode) {
        command("set fwd " + mode.command(), Pattern.compile("Set " + mode.command() + " packet forwarding mode"));
        return this;
    }

    /** {@code start}: forwarding begins. */
    public Testpmd startForwarding() {
        command("start", STARTED);
        return this;
    }

    /** {@code stop}: forwarding ends; counters stay. */
    public Testpmd stopForwarding() {
        command("stop", STOPPED);
        return this;
    }

    /** {@code show port stats <port>}, parsed. */
    public PortStats portStats(int port) {
        int mark = process.mark();
        process.type("show port stats " + port);
        PeerProcess.Found header = process.await(mark,
                Pattern.compile("#+ NIC statistics for port " + port + " +#+"), COMMAND_TIMEOUT);
        PeerProcess.Found end = process.await(header.index() + 1, PortStats.END, COMMAND_TIMEOUT);
        List<String> block = process.console(header.index()).subList(0, end.index() - header.index() + 1);
        return PortStats.parse(block);
    }

    /** The process, for its console and pid. */
    public PeerProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    private void command(String command, Pattern until) {
        int mark = process.mark();
        process.type(command);
        process.await(mark, until, COMMAND_TIMEOUT);
    }

    /**
     * Where DPDK's EAL keeps the runtime files of a file prefix: /var/run/dpdk for root,
     * $XDG_RUNTIME_DIR/dpdk or /tmp/dpdk for others. All are listed; only one exists.
     */
    static List<Path> runtimeDirs(String prefix) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of("/var/run/dpdk", prefix));
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            dirs.add(Path.of(xdg, "dpdk", prefix));
        }
        dirs.add(Path.of("/tmp/dpdk", prefix));
        return dirs;
    }
}
