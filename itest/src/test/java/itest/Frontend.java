package itest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The vhost-user test front-end (vhost.uapi's FrontendMain: memfd guest memory, the ring core's
 * driver queues, real messages) as a process of its own: it sends {@code send} frames to
 * {@code peerMac} and waits for {@code expect} frames. Bounded in time; ended by its own pid.
 */
final class Frontend implements AutoCloseable {
    private final Process process;
    private final StringBuilder output = new StringBuilder();

    Frontend(Path socket, String ownMac, String peerMac, int send, int expect) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", BusbarOptions.required("busbar.frontend.classpath"),
                "vhost.uapi.internal.FrontendMain", socket.toString(), ownMac, peerMac, Integer.toString(send), Integer.toString(expect))
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException closed) {
                // process gone
            }
        }, "frontend-output");
        reader.setDaemon(true);
        reader.start();
    }

    long pid() {
        return process.pid();
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Waits until the front-end has its rings set up and receive buffers posted. */
    void awaitReady() {
        Await.until("the front-end to be ready", this::output, () -> output().contains("READY") || !process.isAlive(),
                Duration.ofSeconds(30));
        if (!output().contains("READY")) {
            throw new AssertionError("the front-end did not get ready:\n" + output());
        }
    }

    /** Waits for the process to end (at most {@code within}); its exit code. */
    int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the front-end did not finish within " + within + ":\n" + output());
        }
        return process.exitValue();
    }

    /** The numbers of its {@code SENT n RECEIVED m} line. */
    List<Long> counts() {
        return output().lines().filter(l -> l.startsWith("SENT ")).findFirst()
                .map(l -> List.of(Long.parseLong(l.split(" ")[1]), Long.parseLong(l.split(" ")[3])))
                .orElseThrow(() -> new AssertionError("no counts in:\n" + output()));
    }

    /** SIGKILL, by its own pid: the backend sees the connection drop with no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
