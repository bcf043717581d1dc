package interop.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real program the tests start: bounded in time, killed by its own pid, and leaving nothing
 * behind.
 *
 * <p>Its standard output and error are one console, read line by line into memory (and copied to a
 * transcript file when {@code busbar.interop.logs} names a folder). A watchdog kills it once its
 * lifetime is over; a JVM shutdown hook kills it if the test JVM goes first; {@link #close()} kills
 * it on success and on failure alike, waits for it, then deletes the files and folders it was
 * given to clean up (its sockets, runtime folders, temporary files). Nothing is started through a
 * shell, so the pid killed is the program's own.
 */
public final class PeerProcess implements AutoCloseable {

    /** Where transcripts go; unset: none are written. */
    public static final String LOGS_PROPERTY = "busbar.interop.logs";

    private static final int TAIL_LINES = 60;
    private static final Pattern ESCAPES = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]|\r");

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final List<Path> cleanup;
    private final Thread reader;
    private final Thread watchdog;
    private final Thread shutdownHook;
    private final Consumer<PeerProcess> farewell;
    private final Duration grace;
    private volatile boolean expired;
    private boolean closed;

    private PeerProcess(String name, Process process, List<Path> cleanup, Duration lifetime,
            Consumer<PeerProcess> farewell, Duration grace, Writer transcript) {
        this.name = name;
        this.process = process;
        this.cleanup = List.copyOf(cleanup);
        this.farewell = farewell;
        this.grace = grace;
        this.shutdownHook = new Thread(this::kill, name + "-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // started by another shutdown hook: close() follows at once
        }
        this.reader = Thread.ofPlatform().daemon().name(name + "-console").start(() -> read(transcript));
        this.watchdog = Thread.ofPlatform().daemon().name(name + "-watchdog").start(() -> {
            try {
                if (!process.waitFor(lifetime.toMillis(), TimeUnit.MILLISECONDS)) {
                    expired = true;
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // closed before the lifetime ran out
            }
        });
    }

    /**
     * Starts {@code command} with its console captured.
     *
     * @param name     a short name for messages and the transcript file
     * @param lifetime the longest it may live; then it is killed
     * @param cleanup  files and folders to delete once it is gone (those that exist then)
     * @param farewell asked first by {@link #close()} while it still runs (e.g. type "quit"); may be null
     * @param grace    how long {@link #close()} waits after the farewell before killing
     */
    public static PeerProcess start(String name, List<String> command, Duration lifetime, List<Path> cleanup,
            Consumer<PeerProcess> farewell, Duration grace) {
        return start(name, command, lifetime, cleanup, farewell, grace, null);
    }

    /** As {@link #start(String, List, Duration, List, Consumer, Duration)}, in the working folder {@code directory}. */
    public static PeerProcess start(String name, List<String> command, Duration lifetime, List<Path> cleanup,
            Consumer<PeerProcess> farewell, Duration grace, Path directory) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteAll(cleanup);
            throw new PeerException(name + ": cannot start " + command.getFirst() + ": " + e.getMessage(), e);
        }
        Writer transcript = transcript(name + "-" + process.pid(), command);
        return new PeerProcess(name, process, cleanup, lifetime, farewell, grace, transcript);
    }

    /** Starts a program that needs no farewell: {@link #close()} kills it at once. */
    public static PeerProcess start(String name, List<String> command, Duration lifetime, List<Path> cleanup) {
        return start(name, command, lifetime, cleanup, null, Duration.ZERO);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** True if the watchdog killed it because its lifetime ran out. */
    public boolean expired() {
        return expired;
    }

    /** The number of console lines read so far: a mark for {@link #await(int, Pattern, Duration)}. */
    public int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** A copy of every console line read so far. */
    public List<String> console() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Console lines from {@code from} on. */
    public List<String> console(int from) {
        synchronized (lines) {
            return List.copyOf(lines.subList(Math.min(from, lines.size()), lines.size()));
        }
    }

    /**
     * Waits for the first console line at or after {@code from} that {@code pattern} finds
     * something in.
     *
     * @return the match, its line's index in {@link #console()} in {@link Found#index()}
     * @throws PeerException if the program ends or the timeout passes first, with the console's tail
     */
    public Found await(int from, Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = from;
        synchronized (lines) {
            while (true) {
                for (; next < lines.size(); next++) {
                    Matcher m = pattern.matcher(lines.get(next));
                    if (m.find()) {
                        return new Found(next, groups(m));
                    }
                }
                long left = deadline - System.nanoTime();
                if (!reader.isAlive() && next >= lines.size()) {
                    throw failure("ended (exit " + exitText() + ") before printing /" + pattern + "/");
                }
                if (left <= 0) {
                    throw failure("printed no /" + pattern + "/ within " + timeout.toSeconds() + " s");
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("interrupted while waiting for /" + pattern + "/");
                }
            }
        }
    }

    /** A console line that matched: its index and the regex groups (0 = the whole match, "" if unset). */
    public record Found(int index, List<String> groups) {
        public String group(int i) {
            return groups.get(i);
        }
    }

    /** Waits until {@code path} exists (a socket the program listens on), while the program runs. */
    public void awaitPath(Path path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(path)) {
            if (!process.isAlive()) {
                throw failure("ended before making " + path);
            }
            if (System.nanoTime() > deadline) {
                throw failure("made no " + path + " within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for " + path);
            }
        }
    }

    /** Writes {@code text} and a newline to the program's standard input. */
    public void type(String text) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw failure("does not take input any more (" + e.getMessage() + ")");
        }
    }

    /** Closes the program's standard input: it reads end of file (a shell ends, as at Ctrl-D). */
    public void endInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw failure("cannot close its input (" + e.getMessage() + ")");
        }
    }

    /** Waits for the program to end by itself, up to {@code timeout}. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw failure("still runs after " + timeout.toSeconds() + " s");
            }
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for it to end");
        }
        return process.exitValue();
    }

    /** An exception naming this program, with the last lines of its console. */
    public PeerException failure(String what) {
        List<String> all = console();
        StringBuilder text = new StringBuilder(name).append(" (pid ").append(process.pid()).append(") ").append(what);
        if (expired) {
            text.append("; its lifetime ran out and it was killed");
        }
        text.append("\n--- last console lines of ").append(name).append(" ---\n");
        for (String line : all.subList(Math.max(0, all.size() - TAIL_LINES), all.size())) {
            text.append(line).append('\n');
        }
        return new PeerException(text.toString());
    }

    /**
     * Says farewell if it still runs and waits up to the grace period, then kills it by its pid,
     * waits for it and deletes what it was to leave behind. Safe to call more than once.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (farewell != null && process.isAlive()) {
                try {
                    farewell.accept(this);
                    process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RuntimeException e) {
                    note("farewell failed: " + e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            kill();
            watchdog.interrupt();
            try {
                reader.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs kill() anyway
            }
        }
    }

    /** What it left behind after {@link #close()}: paths still there, or its pid if it lives. */
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        if (process.isAlive()) {
            left.add(name + " pid " + process.pid() + " still runs");
        }
        cleanup.stream().filter(Files::exists).map(Path::toString).forEach(left::add);
        return left;
    }

    private void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                note("did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteAll(cleanup);
    }

    private void read(Writer transcript) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                add(clean(line), transcript);
            }
        } catch (IOException e) {
            add("[console read failed: " + e.getMessage() + "]", transcript);
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
            if (transcript != null) {
                try {
                    transcript.close();
                } catch (IOException e) {
                    // nothing left to tell
                }
            }
        }
    }

    private void add(String line, Writer transcript) {
        synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
        }
        if (transcript != null) {
            try {
                transcript.write(line);
                transcript.write('\n');
                transcript.flush();
            } catch (IOException e) {
                // a transcript is a convenience; the console in memory is what tests read
            }
        }
    }

    private void note(String text) {
        add("[" + name + ": " + text + "]", null);
    }

    private String exitText() {
        return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
    }

    /** A console line without carriage returns and terminal escapes (testpmd clears the screen). */
    static String clean(String line) {
        return ESCAPES.matcher(line).replaceAll("");
    }

    private static List<String> groups(Matcher m) {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i <= m.groupCount(); i++) {
            groups.add(m.group(i) == null ? "" : m.group(i));
        }
        return List.copyOf(groups);
    }

    private static Writer transcript(String name, List<String> command) {
        String folder = System.getProperty(LOGS_PROPERTY);
        if (folder == null || folder.isBlank()) {
            return null;
        }
        try {
            Path dir = Files.createDirectories(Path.of(folder));
            Writer transcript = Files.newBufferedWriter(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
            transcript.write("$ " + String.join(" ", command) + "\n");
            return transcript;
        } catch (IOException e) {
            return null; // a transcript is a convenience: the program runs and is read without one
        }
    }

    /** Deletes files and whole folders; those already gone are fine. */
    static void deleteAll(List<Path> paths) {
        for (Path path : paths) {
            try {
                if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> tree = Files.walk(path)) {
                        for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                } else {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                // reported by leftovers(), which the tests assert empty
            }
        }
    }
}
