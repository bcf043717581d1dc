package interop.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The busbar runtime (runtime/target/busbar.jar) as a peer: {@code java -jar} in a home folder of
 * its own (its deploy/ is what the test wrote there), driven through the Gogo shell on its standard
 * input, bounded in time and killed by its pid like every other peer.
 *
 * <p>Its vhost-user sockets lie in {@code <runtime dir>/vhost/<device>.sock}; the runtime dir is
 * given here, short, because a socket path holds at most 107 bytes. Neither the home nor the
 * runtime dir is deleted on close: a test that kills the runtime starts it again on the same home.
 */
public final class Busbar implements AutoCloseable {

    /** The system property naming the runtime jar (the interop module's failsafe sets it). */
    public static final String JAR_PROPERTY = "busbar.runtime.jar";

    private static final AtomicInteger COMMANDS = new AtomicInteger();
    private static final Pattern PROMPT = Pattern.compile("^(g! )+");

    private final PeerProcess process;
    private final Path runtimeDir;

    private Busbar(PeerProcess process, Path runtimeDir) {
        this.process = process;
        this.runtimeDir = runtimeDir;
    }

    /**
     * Starts the runtime in {@code home} (which holds deploy/, or gets it from the runtime) with its
     * sockets below {@code runtimeDir}; null leaves the runtime dir to the runtime, as a person who
     * types {@code java -jar busbar.jar} does.
     */
    public static Busbar start(String name, Path home, Path runtimeDir, Duration lifetime) {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new PeerException("the runtime jar (" + JAR_PROPERTY + "=" + jar + ") is missing: build the runtime module first");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
        if (runtimeDir != null) {
            command.add("-Dbusbar.runtime.dir=" + runtimeDir.toAbsolutePath());
        }
        command.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
        return new Busbar(PeerProcess.start(name, command, lifetime, List.of(), null, Duration.ZERO, home), runtimeDir);
    }

    /**
     * The runtime whose Gogo shell is on {@code console}'s input and output rather than a process
     * of its own: inside a guest, on the guest's serial console (its echo off, so only what the
     * shell prints comes back). Closing it closes {@code console}.
     */
    public static Busbar onConsole(PeerProcess console) {
        return new Busbar(console, null);
    }

    /** Writes a device's configuration file into {@code home}/deploy (written aside, then moved in). */
    public static void deploy(Path home, String file, String text) {
        try {
            Path deploy = Files.createDirectories(home.resolve("deploy"));
            Path aside = Files.writeString(home.resolve(file + ".tmp"), text);
            Files.move(aside, deploy.resolve(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PeerException("cannot write " + file + " into " + home + "/deploy: " + e.getMessage(), e);
        }
    }

    /** Where the runtime serves {@code device} over vhost-user (the default path below the runtime dir given). */
    public Path socket(String device) {
        if (runtimeDir == null) {
            throw new IllegalStateException("started without a runtime dir: the runtime chose it");
        }
        return socket(runtimeDir, device);
    }

    /** Where a runtime started with {@code runtimeDir} serves {@code device}: {@code <runtime dir>/vhost/<device>.sock}. */
    public static Path socket(Path runtimeDir, String device) {
        return runtimeDir.toAbsolutePath().resolve("vhost").resolve(device + ".sock");
    }

    /**
     * Runs one shell command and returns what it printed (prompts taken off), once it finished:
     * an {@code echo} of a fresh marker follows it, and Gogo runs commands in order.
     */
    public String shell(String command, Duration timeout) {
        String marker = "busbar-done-" + COMMANDS.incrementAndGet();
        int from = process.mark();
        process.type(command);
        process.type("echo " + marker);
        PeerProcess.Found end = process.await(from, Pattern.compile("^(g! )*" + marker + "$"), timeout);
        StringBuilder out = new StringBuilder();
        for (String line : process.console(from).subList(0, end.index() - from)) {
            out.append(PROMPT.matcher(line).replaceFirst("")).append('\n');
        }
        return out.toString();
    }

    /**
     * Runs {@code command} about twice a second until its output matches {@code wanted}; returns
     * the first match.
     */
    public Matcher awaitShell(String command, Pattern wanted, Duration timeout) {
        Matcher m = wanted.matcher(awaitShell(command, out -> wanted.matcher(out).find(), timeout));
        m.find();
        return m;
    }

    /**
     * Runs {@code command} about twice a second until its output satisfies {@code wanted}; returns
     * that output.
     */
    public String awaitShell(String command, Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() - deadline < 0) {
            last = shell(command, timeout);
            if (wanted.test(last)) {
                return last;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw process.failure("gave no wanted answer to '" + command + "' within " + timeout.toSeconds()
                + " s; last answer:\n" + last);
    }

    /** Everything the runtime printed so far (its log and the shell's output), one line per line. */
    public String output() {
        return String.join("\n", process.console());
    }

    /** Ends the shell's input: Gogo stops the framework and the launcher exits (117: stopped normally). */
    public void endInput() {
        process.endInput();
    }

    public PeerProcess process() {
        return process;
    }

    /** Kills the runtime by its pid (SIGKILL: no farewell, as a crash) and waits for it. */
    @Override
    public void close() {
        process.close();
    }
}
