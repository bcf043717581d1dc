package itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/** A Gogo session as a shell user has one: commands in, printed text out. */
final class Shell implements AutoCloseable {
    private final CommandSession session;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Shell(BundleContext context) throws InterruptedException {
        ServiceTracker<CommandProcessor, CommandProcessor> tracker = new ServiceTracker<>(context, CommandProcessor.class, null);
        tracker.open();
        try {
            CommandProcessor processor = tracker.waitForService(Await.DEFAULT.toMillis());
            if (processor == null) {
                throw new AssertionError("no Gogo CommandProcessor");
            }
            PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
            session = processor.createSession(new ByteArrayInputStream(new byte[0]), ps, ps);
        } finally {
            tracker.close();
        }
    }

    /** What the command printed and returned, as the shell would show it. */
    String run(String command) throws Exception {
        out.reset();
        Object result = session.execute(command);
        return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : session.format(result, 1 /* INSPECT */));
    }

    /** The output, or the exception's text: for waiting until a command exists. */
    String tryRun(String command) {
        try {
            return run(command);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The error message of a command that should fail; a command that succeeds fails the test. */
    String runExpectingError(String command) {
        String printed;
        try {
            printed = run(command);
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("'" + command + "' should have failed; it printed: " + printed);
    }

    /** The whitespace-separated cells of the first output line holding this cell. */
    static List<String> line(String table, String cell) {
        return table.lines()
                .map(l -> Arrays.asList(l.trim().split("\\s+")))
                .filter(cells -> cells.contains(cell))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + cell + " in:\n" + table));
    }

    @Override
    public void close() {
        session.close();
    }
}
