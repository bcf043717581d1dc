package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import itest.fixture.Probe;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/** The bus: shell commands, run through Gogo's CommandProcessor as a shell user would. */
@RunWith(PaxExam.class)
public class ShellIT {

    @Inject
    BundleContext context;

    private BusFixture fx;
    private CommandSession session;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, BusbarOptions.ITEST)};
    }

    @Before
    public void openSession() throws Exception {
        fx = new BusFixture(context);
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
        // The command component appears with the test bus's service; wait until it answers.
        Await.until("bus:list to show the test bus", () -> tryRun("bus:list"), () -> tryRun("bus:list").contains("test"));
    }

    @After
    public void closeSession() {
        if (session != null) {
            session.close();
        }
        fx.close();
    }

    @Test
    public void devicesAndDriversPrintTheBindings() throws Exception {
        fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.driver("broken", "(vendor=2)", 0, Probe.fail());
        fx.devices("board", "dev0;vendor=1", "dev1;vendor=1", "dev2;vendor=2");
        fx.awaitBound("dev0", "high");
        fx.awaitBound("dev1", "high");
        Await.until("dev2's failed probe", () -> fx.describe("dev2"), () -> fx.history("dev2").contains("fail broken"));

        // BUS DEVICE STATE DRIVER OVERRIDE NOTE
        String devices = run("bus:devices test");
        assertEquals(devices, List.of("test", "dev0", "bound", "high", "-", "-"), line(devices, "dev0"));
        assertEquals(devices, List.of("test", "dev1", "bound", "high", "-", "-"), line(devices, "dev1"));
        List<String> dev2 = line(devices, "dev2");
        assertEquals(devices, List.of("test", "dev2", "unbound", "-", "-"), dev2.subList(0, 5));
        assertTrue("the note says why: " + devices, String.join(" ", dev2.subList(5, dev2.size())).contains("refuses dev2"));

        // BUS DRIVER RANK MATCH BUNDLE DEVICES, best ranked first
        String drivers = run("bus:drivers test");
        assertEquals(drivers, List.of("test", "high", "10", "(vendor=1)", "itest.driver.high", "dev0,dev1"), line(drivers, "high"));
        assertEquals(drivers, List.of("test", "broken", "0", "(vendor=2)", "itest.driver.broken", "-"), line(drivers, "broken"));

        String json = run("bus:devices -j test");
        assertTrue(json, json.contains("\"device\"") && json.contains("\"dev0\"") && json.contains("\"high\""));

        // BUS DEVICES BOUND DRIVERS
        String list = run("bus:list");
        assertEquals(list, List.of("test", "3", "2", "2"), line(list, "test"));
    }

    @Test
    public void overrideBindAndUnbindCommandsSteerTheBus() throws Exception {
        fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.driver("low", "(vendor=1)", 1, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "high");

        run("bus:override test dev0 low");
        fx.awaitBound("dev0", "low");
        assertEquals(List.of("test", "dev0", "bound", "low", "low", "-"), line(run("bus:devices test"), "dev0"));

        run("bus:override test dev0 -");
        run("bus:unbind test dev0");
        fx.awaitState("dev0", driver.core.BindingState.UNBOUND);
        run("bus:bind test dev0 high");
        fx.awaitBound("dev0", "high");
        assertEquals(List.of("probe high", "remove high", "probe low", "remove low", "probe high"), fx.history("dev0"));
    }

    @Test
    public void aBadArgumentIsRefusedAndChangesNothing() throws Exception {
        fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "high");

        String error = runExpectingError("bus:bind test nosuch high");
        assertTrue(error, error.contains("nosuch"));
        error = runExpectingError("bus:unbind nobus dev0");
        assertTrue(error, error.contains("nobus"));
        fx.awaitBound("dev0", "high");
        assertEquals(List.of("probe high"), fx.history("dev0"));
    }

    /** Runs a command; its text is what it returned plus what it printed. */
    private String run(String command) throws Exception {
        out.reset();
        Object result = session.execute(command);
        return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : session.format(result, 1 /* INSPECT */));
    }

    private String tryRun(String command) {
        try {
            return run(command);
        } catch (Exception e) {
            return e.toString();
        }
    }

    private String runExpectingError(String command) {
        try {
            return "no error; printed: " + run(command);
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    /** The whitespace-separated cells of the first output line holding this cell. */
    private static List<String> line(String table, String cell) {
        return table.lines()
                .map(l -> Arrays.asList(l.trim().split("\\s+")))
                .filter(cells -> cells.contains(cell))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + cell + " in:\n" + table));
    }
}
