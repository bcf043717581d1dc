package linux.ffm.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace a test makes with iproute2 ({@code ip netns add}) and always removes: on
 * {@link #close()} and, should the JVM end first, in a shutdown hook. Everything a test does to
 * the host's network happens inside it. Each command is bounded in time.
 *
 * <p>These tests need root, {@code /dev/net/tun} and the tools they name. Missing any, they fail
 * and say what is missing, unless {@code BUSBAR_NO_PEERS=1}: then they are aborted (reported as
 * skipped) on a machine that cannot run them by choice.
 */
public final class TestNamespace implements AutoCloseable {

    /** Seconds any one command may take. */
    static final long COMMAND_SECONDS = 20;

    public final String name;
    private final Thread hook;

    private TestNamespace(String name) {
        this.name = name;
        this.hook = new Thread(() -> delete(name), "delete netns " + name);
    }

    /**
     * Fails (or with BUSBAR_NO_PEERS=1 aborts) unless this process is root and has
     * {@code /dev/net/tun} and each of {@code tools} on the PATH.
     */
    public static void requirePeers(String... tools) {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (running as " + System.getProperty("user.name") + ")");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun (modprobe tun)");
        }
        for (String t : tools) {
            if (!onPath(t)) {
                missing.add(t + " on the PATH (" + (t.equals("ping") ? "iputils-ping" : "iproute2") + ")");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String why = "this test drives the host's network stack and needs " + String.join(", ", missing);
        if ("1".equals(System.getenv("BUSBAR_NO_PEERS"))) {
            Assumptions.abort(why + "; BUSBAR_NO_PEERS=1");
        }
        throw new AssertionError(why + " (set BUSBAR_NO_PEERS=1 to leave such tests out)");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** {@code ip netns add busbar-test-<pid>-<suffix>}, after removing a stale one of that name. */
    public static TestNamespace create(String suffix) {
        String name = "busbar-test-" + ProcessHandle.current().pid() + (suffix.isEmpty() ? "" : "-" + suffix);
        delete(name);
        TestNamespace ns = new TestNamespace(name);
        Runtime.getRuntime().addShutdownHook(ns.hook);
        run("ip", "netns", "add", name);
        return ns;
    }

    /** The command run inside the namespace ({@code ip netns exec}); its output, or an AssertionError with it. */
    public String exec(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(command));
        return run(c.toArray(String[]::new));
    }

    /** As {@link #exec}, but returns the exit code (and ignores the output). */
    public int execStatus(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(command));
        return status(c.toArray(String[]::new));
    }

    /** Runs a command on the host, bounded; returns its output or fails with it. */
    public static String run(String... command) {
        Result r = start(command);
        if (r.status != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.status + ": " + r.output);
        }
        return r.output;
    }

    /** Runs a command on the host, bounded; returns its exit code. */
    public static int status(String... command) {
        return start(command).status;
    }

    private record Result(int status, String output) {}

    private static Result start(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + COMMAND_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join(" ", command), e);
        }
    }

    private static void delete(String name) {
        if (Files.exists(Path.of("/var/run/netns", name))) {
            status("ip", "netns", "del", name);
        }
    }

    /** {@code ip netns del}: the namespace goes once nothing holds it (a thread in it, a descriptor of it). */
    @Override
    public void close() {
        delete(name);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
