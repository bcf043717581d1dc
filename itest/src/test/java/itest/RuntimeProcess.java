package itest;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The executable runtime (runtime/target/busbar.jar) started as a person starts it, with
 * {@code java -jar} in a folder of its own, and driven through Gogo on its standard input. Its
 * output (stdout and stderr together) is collected as it comes. {@link #close()} ends the process
 * and every process it started, by pid.
 */
final class RuntimeProcess implements AutoCloseable {

    /** How long one step may take: a command's answer, a line of output. */
    static final Duration STEP = Duration.ofSeconds(20);

    private final Process process;
    private final OutputStream stdin;
    private final StringBuilder output = new StringBuilder();

    private RuntimeProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = process.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (output) {
                        output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException closed) {
                // process gone
            }
        }, "busbar-runtime-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the runtime jar in {@code home}, which must exist, with these extra JVM options. */
    static RuntimeProcess start(Path home, String... jvmOptions) throws IOException {
        Path jar = Paths.get(BusbarOptions.required("busbar.runtime.jar"));
        assertTrue(jar + " missing: build the runtime module first", Files.isRegularFile(jar));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-jar", jar.toString()));
        return new RuntimeProcess(new ProcessBuilder(cmd)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .start());
    }

    /** A new, empty folder below the tests' work folder. */
    static Path newHome(String prefix) throws IOException {
        Path work = Files.createDirectories(Paths.get(BusbarOptions.required("busbar.itest.work")));
        return Files.createTempDirectory(work, prefix);
    }

    Process process() {
        return process;
    }

    /** Sends one command without waiting for its answer. */
    void send(String command) throws IOException {
        stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Ends the input: Gogo stops the framework. */
    void endInput() throws IOException {
        stdin.close();
    }

    /**
     * Sends {@code command} about once a second until the output it produces satisfies
     * {@code answer}; returns that output. Fails after {@link #STEP}.
     */
    String awaitAnswer(String command, Predicate<String> answer) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        String last = "";
        while (System.nanoTime() - deadline < 0) {
            int mark = output().length();
            stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            long wait = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() - wait < 0) {
                last = output().substring(mark);
                if (answer.test(last)) {
                    return last;
                }
                Thread.sleep(50);
            }
            if (!process.isAlive()) {
                break;
            }
        }
        throw new AssertionError("no satisfying answer to '" + command + "' within " + STEP.toSeconds() + " s; last:\n" + last
                + "\nwhole output:\n" + output());
    }

    /** Waits until the whole output so far satisfies {@code done}; fails after {@link #STEP}. */
    String awaitOutput(String what, Predicate<String> done) throws InterruptedException {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() - deadline < 0) {
            String out = output();
            if (done.test(out)) {
                return out;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + " not seen within " + STEP.toSeconds() + " s; output:\n" + output());
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Kills the runtime and whatever it started, by pid, and waits for them to go. */
    @Override
    public void close() throws InterruptedException {
        ProcessHandle runtime = process.toHandle();
        List<ProcessHandle> all = Stream.concat(runtime.descendants(), Stream.of(runtime)).toList();
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("process " + p.pid() + " did not end", e);
            }
        }
    }

    /** Deletes a folder and everything below it. */
    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The cells of the first line whose second cell is {@code device}, or an empty list. */
    static List<String> cells(String table, String device) {
        return table.lines()
                .map(l -> Arrays.asList(l.replace("g!", "").trim().split("\\s+")))
                .filter(c -> c.size() > 1 && c.get(1).equals(device))
                .findFirst()
                .orElse(List.of());
    }
}
