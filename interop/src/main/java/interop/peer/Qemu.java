package interop.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A QEMU guest (TCG) built by {@link GuestImage}, with virtio-net devices on vhost-user sockets.
 *
 * <p>The guest's /init loads the virtio modules, brings up eth0 with the address given here, sets
 * the channels asked for, runs the test script (handed over through QEMU's firmware configuration),
 * prints {@code busbar: ...} lines on the serial console and powers off. The console is QEMU's
 * standard output, read by {@link PeerProcess}; a line typed with {@link #type} reaches the guest's
 * console, where a script can {@code read} it.
 *
 * <p>The guest has no network but the devices given here: {@code -nodefaults} leaves out QEMU's
 * default NIC, and a netdev of type user (QEMU's own NAT to the host's networks) is refused. Guest
 * memory is one shared memfd, as vhost-user needs. Facts of this machine the defaults encode: KVM
 * cannot boot the stock kernel (TCG can); QEMU 7.2 crashes in vhost-user start with MSI-X under
 * TCG, so the device has {@code vectors=0} (INTx).
 */
public final class Qemu implements AutoCloseable {

    public static final String EXECUTABLE = "qemu-system-x86_64";

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Pattern EXIT = Pattern.compile("busbar: exit code=(\\d+)");
    private static final Pattern NETDEV_USER = Pattern.compile("(^|,)type=user(,|$)|^user(,|$)");

    private final PeerProcess process;

    private Qemu(PeerProcess process) {
        this.process = process;
    }

    /**
     * A virtio-net-pci device on a vhost-user socket.
     *
     * @param socket   the socket
     * @param listen   QEMU listens ({@code server=on}, and waits for the backend before the guest runs)
     *                 instead of connecting ({@code reconnect=1}: it connects again, once a second,
     *                 after losing the backend)
     * @param queues   queue pairs; more than one turns on {@code mq=on}
     * @param packed   offer a packed ring
     * @param mrgRxbuf offer mergeable receive buffers (the device's default is on)
     * @param mac      the device's MAC address
     */
    public record VhostUserNic(Path socket, boolean listen, int queues, boolean packed, boolean mrgRxbuf, String mac) {

        public VhostUserNic {
            socket = socket.toAbsolutePath();
            if (queues < 1) {
                throw new IllegalArgumentException("queues must be at least 1: " + queues);
            }
        }

        /** A split-ring, single-queue device with mergeable buffers on, connecting to {@code socket}. */
        public static VhostUserNic connect(Path socket) {
            return new VhostUserNic(socket, false, 1, false, true, "52:54:00:12:34:56");
        }

        public VhostUserNic listening() {
            return new VhostUserNic(socket, true, queues, packed, mrgRxbuf, mac);
        }

        public VhostUserNic queues(int n) {
            return new VhostUserNic(socket, listen, n, packed, mrgRxbuf, mac);
        }

        public VhostUserNic packed(boolean on) {
            return new VhostUserNic(socket, listen, queues, on, mrgRxbuf, mac);
        }

        public VhostUserNic mrgRxbuf(boolean on) {
            return new VhostUserNic(socket, listen, queues, packed, on, mac);
        }

        public VhostUserNic mac(String address) {
            return new VhostUserNic(socket, listen, queues, packed, mrgRxbuf, address);
        }

        List<String> args(int index) {
            String chardev = "vu" + index;
            String netdev = "net" + index;
            String chr = "socket,id=" + chardev + ",path=" + socket + (listen ? ",server=on,wait=on" : ",reconnect=1");
            String device = "virtio-net-pci,netdev=" + netdev + ",romfile=,vectors=0,mac=" + mac
                    + (packed ? ",packed=on" : "") + (mrgRxbuf ? "" : ",mrg_rxbuf=off") + (queues > 1 ? ",mq=on" : "");
            return List.of("-chardev", chr, "-netdev", "vhost-user,id=" + netdev + ",chardev=" + chardev + ",queues=" + queues,
                    "-device", device);
        }
    }

    public static Builder guest(GuestImage image) {
        return new Builder(image);
    }

    public static final class Builder {
        private final GuestImage image;
        private final List<VhostUserNic> nics = new ArrayList<>();
        private final List<String> extraArgs = new ArrayList<>();
        private final List<String> kernelArgs = new ArrayList<>();
        private String accel = "tcg";
        private int memoryMb = 256;
        private int cpus = 1;
        private String ip;
        private Integer channels;
        private String script;
        private Duration lifetime = Duration.ofMinutes(2);
        private String name;

        private Builder(GuestImage image) {
            this.image = image;
        }

        public Builder nic(VhostUserNic nic) {
            nics.add(nic);
            return this;
        }

        /** eth0's address, e.g. 10.0.3.2/24: it must exist only inside the datapath under test. */
        public Builder ip(String cidr) {
            this.ip = cidr;
            return this;
        }

        /** Combined channels the guest sets on eth0 (ETHTOOL_SCHANNELS) before the script runs. */
        public Builder channels(int n) {
            this.channels = n;
            return this;
        }

        /** The test script: busybox sh, run by /init with its helpers (busbar_ping, busbar_stats, say). */
        public Builder script(String script) {
            this.script = script;
            return this;
        }

        /** QEMU's {@code -accel} (default tcg; KVM cannot boot the stock kernel on this machine). */
        public Builder accel(String accel) {
            this.accel = accel;
            return this;
        }

        public Builder memoryMb(int mb) {
            this.memoryMb = mb;
            return this;
        }

        public Builder cpus(int n) {
            this.cpus = n;
            return this;
        }

        /** More kernel command line arguments ({@code busbar.iface=none}: a guest without network). */
        public Builder kernelArg(String arg) {
            kernelArgs.add(arg);
            return this;
        }

        /**
         * More QEMU arguments (devices, a machine type). A netdev or NIC of type user is refused:
         * it would give the guest a way to the host's networks.
         */
        public Builder args(String... args) {
            for (int i = 0; i < args.length; i++) {
                boolean netOption = args[i].equals("-netdev") || args[i].equals("-nic") || args[i].equals("-net");
                if (netOption && i + 1 < args.length && NETDEV_USER.matcher(args[i + 1]).find()) {
                    throw new IllegalArgumentException("a user-mode network could reach outside addresses: " + args[i + 1]);
                }
            }
            extraArgs.addAll(List.of(args));
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

        /** The command line; {@code scriptFile} is where the script was written (or null). */
        public List<String> command(Path scriptFile) {
            List<String> append = new ArrayList<>(List.of("console=ttyS0", "panic=-1", "quiet", "ipv6.disable=1"));
            if (ip != null) {
                append.add("busbar.ip=" + ip);
            }
            if (channels != null) {
                append.add("busbar.channels=" + channels);
            }
            append.addAll(kernelArgs);
            List<String> command = new ArrayList<>(List.of(EXECUTABLE, "-accel", accel, "-m", Integer.toString(memoryMb),
                    "-smp", Integer.toString(cpus),
                    "-object", "memory-backend-memfd,id=mem,size=" + memoryMb + "M,share=on", "-numa", "node,memdev=mem",
                    "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
                    "-append", String.join(" ", append),
                    "-display", "none", "-serial", "stdio", "-monitor", "none", "-nodefaults", "-no-reboot"));
            for (int i = 0; i < nics.size(); i++) {
                command.addAll(nics.get(i).args(i));
            }
            if (scriptFile != null) {
                command.addAll(List.of("-fw_cfg", "name=opt/busbar/script,file=" + scriptFile));
            }
            command.addAll(extraArgs);
            return List.copyOf(command);
        }

        /** Starts QEMU; a listening NIC's socket exists once {@link Qemu#awaitListening} returns. */
        public Qemu start() {
            String label = name != null ? name : "qemu-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
            List<Path> cleanup = new ArrayList<>();
            nics.stream().filter(VhostUserNic::listen).map(VhostUserNic::socket).forEach(cleanup::add);
            Path scriptFile = null;
            if (script != null) {
                try {
                    scriptFile = Files.createTempFile("busbar-guest-script-", ".sh");
                    cleanup.add(scriptFile);
                    Files.writeString(scriptFile, script.endsWith("\n") ? script : script + "\n");
                } catch (IOException e) {
                    PeerProcess.deleteAll(cleanup);
                    throw new PeerException("cannot write the guest's script: " + e.getMessage(), e);
                }
            }
            return new Qemu(PeerProcess.start(label, command(scriptFile), lifetime, cleanup));
        }
    }

    /** Waits until QEMU listens on {@code socket} (a NIC's, made {@link VhostUserNic#listening()}). */
    public Qemu awaitListening(Path socket, Duration timeout) {
        process.awaitPath(socket, timeout);
        return this;
    }

    /** Waits for the guest's next {@code busbar: <what>} line at or after {@code from}. */
    public GuestEvent await(int from, String what, Duration timeout) {
        PeerProcess.Found found = process.await(from, Pattern.compile("busbar: " + Pattern.quote(what) + "( |$)"), timeout);
        return GuestEvent.parse(process.console().get(found.index()))
                .orElseThrow(() -> process.failure("printed a malformed '" + what + "' line"));
    }

    /** Waits for the guest to report its exit and power off, then reads everything it reported. */
    public GuestReport awaitExit(Duration timeout) {
        long start = System.nanoTime();
        process.await(0, EXIT, timeout);
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        int exit = process.waitFor(left.isNegative() ? Duration.ofSeconds(5) : left.plusSeconds(5));
        if (exit != 0) {
            throw process.failure("exited " + exit + " after the guest's report");
        }
        return GuestReport.of(process.console());
    }

    /** Types a line on the guest's serial console. */
    public void type(String line) {
        process.type(line);
    }

    public PeerProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
