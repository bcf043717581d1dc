package itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Assume;

/**
 * A network namespace {@code busbar-test-<pid>} made with iproute2 for a test that reaches the
 * host kernel, removed on {@link #close()} and, if the JVM ends first, by a shutdown hook. Each
 * command is bounded in time. A test needing one fails, naming what is missing (root,
 * /dev/net/tun, a tool), unless {@code BUSBAR_NO_PEERS=1}: then it is left out as an assumption.
 */
final class HostNamespace implements AutoCloseable {

    static final long COMMAND_SECONDS = 20;

    final String name = "busbar-test-" + ProcessHandle.current().pid();
    private final Thread hook = new Thread(this::delete, "delete netns");

    /** Fails (or with BUSBAR_NO_PEERS=1 skips) unless root with /dev/net/tun and {@code tools}. */
    static void requirePeers(String... tools) {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun (modprobe tun)");
        }
        for (String t : tools) {
            if (run(List.of("sh", "-c", "command -v " + t)).status != 0) {
                missing.add(t + " on the PATH");
            }
        }
        if (!missing.isEmpty()) {
            String why = "this test reaches the host kernel and needs " + String.join(", ", missing);
            Assume.assumeFalse(why + "; BUSBAR_NO_PEERS=1", "1".equals(System.getenv("BUSBAR_NO_PEERS")));
            throw new AssertionError(why + " (set BUSBAR_NO_PEERS=1 to leave such tests out)");
        }
    }

    HostNamespace() {
        delete();
        Runtime.getRuntime().addShutdownHook(hook);
        check(List.of("ip", "netns", "add", name));
    }

    /** A command inside the namespace; its output, or an AssertionError with it. */
    String exec(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(command));
        return check(c);
    }

    /** A command on the host; its exit code and output. */
    static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not end within " + COMMAND_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    record Result(int status, String output) {}

    private static String check(List<String> command) {
        Result r = run(command);
        if (r.status != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.status + ": " + r.output);
        }
        return r.output;
    }

    private void delete() {
        if (Files.exists(Path.of("/var/run/netns", name))) {
            run(List.of("ip", "netns", "del", name));
        }
    }

    @Override
    public void close() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
