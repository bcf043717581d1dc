package interop.peer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace the test creates ({@code ip netns add busbar-<pid>-<n>}) and everything
 * inside it: TAP and veth devices are made there, never in the root namespace, so traffic the test
 * causes stays between the test and that namespace. {@link #close()} deletes the namespace and
 * with it every device in it; a JVM shutdown hook does the same if the test JVM goes first.
 */
public final class Netns implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Thread shutdownHook;
    private boolean closed;

    private Netns(String name) {
        this.name = name;
        this.shutdownHook = new Thread(() -> delete(name), "netns-" + name + "-shutdown");
    }

    /** Creates a namespace named after this JVM's pid, with its loopback up. */
    public static Netns create() {
        String name = "busbar-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet();
        try {
            ip("netns", "add", name);
        } catch (PeerException e) {
            throw new PeerException("cannot create network namespace " + name
                    + " (namespaces and TAP devices need root: CAP_SYS_ADMIN and CAP_NET_ADMIN): " + e.getMessage(), e);
        }
        Netns ns = new Netns(name);
        Runtime.getRuntime().addShutdownHook(ns.shutdownHook);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The namespace's file, which {@code setns(2)} takes. */
    public java.nio.file.Path path() {
        return java.nio.file.Path.of("/run/netns", name);
    }

    /** Runs {@code command} inside the namespace ({@code ip netns exec}), bounded; returns its output. */
    public String exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(Arrays.asList(command));
        return run(full);
    }

    /** A persistent TAP device inside the namespace, left down. */
    public void addTap(String device) {
        exec("ip", "tuntap", "add", "dev", device, "mode", "tap");
    }

    /** A veth pair with both ends inside the namespace. */
    public void addVeth(String device, String peer) {
        exec("ip", "link", "add", device, "type", "veth", "peer", "name", peer);
    }

    public void up(String device) {
        exec("ip", "link", "set", device, "up");
    }

    /** Gives {@code device} an address, e.g. 10.0.4.1/24; it exists only inside the namespace. */
    public void address(String device, String cidr) {
        exec("ip", "addr", "add", cidr, "dev", device);
    }

    /** The names of the network devices inside the namespace. */
    public List<String> devices() {
        return exec("ls", "/sys/class/net").lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** One of a device's counters, /sys/class/net/DEV/statistics/COUNTER as seen inside the namespace. */
    public long counter(String device, String counter) {
        return Long.parseLong(exec("cat", "/sys/class/net/" + device + "/statistics/" + counter).strip());
    }

    /** The names {@code ip netns list} shows. */
    public static List<String> list() {
        return run(List.of("ip", "netns", "list")).lines()
                .map(line -> line.split(" ", 2)[0]).filter(s -> !s.isEmpty()).toList();
    }

    /** Deletes the namespace and every device in it. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        delete(name);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook deletes it too, which is harmless
        }
    }

    private static void delete(String name) {
        try {
            ip("netns", "delete", name);
        } catch (PeerException e) {
            if (list().contains(name)) {
                throw e;
            }
        }
    }

    private static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    private static String run(List<String> command) {
        try (PeerProcess p = PeerProcess.start("ip", command, COMMAND_TIMEOUT, List.of())) {
            int exit = p.waitFor(COMMAND_TIMEOUT);
            if (exit != 0) {
                throw p.failure("'" + String.join(" ", command) + "' failed with exit " + exit);
            }
            return String.join("\n", p.console());
        }
    }
}
