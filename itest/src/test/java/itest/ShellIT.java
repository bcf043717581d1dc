package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import itest.fixture.Probe;
import java.util.List;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.BundleContext;

/** The bus: shell commands, run through Gogo's CommandProcessor as a shell user would. */
@RunWith(PaxExam.class)
public class ShellIT {

    @Inject
    BundleContext context;

    private BusFixture fx;
    private Shell shell;

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, BusbarOptions.ITEST)};
    }

    @Before
    public void openSession() throws Exception {
        fx = new BusFixture(context);
        shell = new Shell(context);
        // The command component appears with the test bus's service; wait until it answers.
        Await.until("bus:list to show the test bus", () -> shell.tryRun("bus:list"), () -> shell.tryRun("bus:list").contains("test"));
    }

    @After
    public void closeSession() {
        if (shell != null) {
            shell.close();
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
        String devices = shell.run("bus:devices test");
        assertEquals(devices, List.of("test", "dev0", "bound", "high", "-", "-"), Shell.line(devices, "dev0"));
        assertEquals(devices, List.of("test", "dev1", "bound", "high", "-", "-"), Shell.line(devices, "dev1"));
        List<String> dev2 = Shell.line(devices, "dev2");
        assertEquals(devices, List.of("test", "dev2", "unbound", "-", "-"), dev2.subList(0, 5));
        assertTrue("the note says why: " + devices, String.join(" ", dev2.subList(5, dev2.size())).contains("refuses dev2"));

        // BUS DRIVER RANK MATCH PROBE BUNDLE DEVICES, best ranked first
        String drivers = shell.run("bus:drivers test");
        assertEquals(drivers, List.of("test", "high", "10", "(vendor=1)", "auto", "itest.driver.high", "dev0,dev1"),
                Shell.line(drivers, "high"));
        assertEquals(drivers, List.of("test", "broken", "0", "(vendor=2)", "auto", "itest.driver.broken", "-"),
                Shell.line(drivers, "broken"));

        String json = shell.run("bus:devices -j test");
        assertTrue(json, json.startsWith("[{\"bus\":\"test\",\"device\":\"dev0\",\"state\":\"bound\",\"driver\":\"high\","
                + "\"override\":null,\"note\":null}"));
        // the records themselves reach a script: Gogo calls records() on the returned listing
        assertEquals("3", shell.run("($(bus:devices test) records) size").trim());

        // BUS DEVICES BOUND DRIVERS
        String list = shell.run("bus:list");
        assertEquals(list, List.of("test", "3", "2", "2"), Shell.line(list, "test"));
    }

    @Test
    public void overrideBindAndUnbindCommandsSteerTheBus() throws Exception {
        fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.driver("low", "(vendor=1)", 1, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "high");

        // a steering command prints the device as bus:devices does, once the bus has done it
        assertEquals(List.of("test", "dev0", "bound", "low", "low", "-"), Shell.line(shell.run("bus:override test dev0 low"), "dev0"));
        fx.awaitBound("dev0", "low");
        assertEquals(List.of("test", "dev0", "bound", "low", "low", "-"), Shell.line(shell.run("bus:devices test"), "dev0"));

        shell.run("bus:override test dev0 -");
        shell.run("bus:unbind test dev0");
        fx.awaitState("dev0", driver.core.BindingState.UNBOUND);
        assertTrue(shell.run("bus:bind -j test dev0 high").contains("\"device\":\"dev0\",\"state\":\"bound\",\"driver\":\"high\""));
        fx.awaitBound("dev0", "high");
        assertEquals(List.of("probe high", "remove high", "probe low", "remove low", "probe high"), fx.history("dev0"));
    }

    @Test
    public void aBadArgumentIsRefusedAndChangesNothing() throws Exception {
        fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "high");

        String error = shell.runExpectingError("bus:bind test nosuch high");
        assertTrue(error, error.contains("nosuch"));
        error = shell.runExpectingError("bus:unbind nobus dev0");
        assertTrue(error, error.contains("nobus"));
        // under -j a refusal is still a failure, not a JSON answer
        error = shell.runExpectingError("bus:devices -j nobus");
        assertEquals("no bus 'nobus' (buses: test)", error);
        error = shell.runExpectingError("bus:bind -j test dev0 nosuch");
        assertEquals("device dev0 is bound (driver high)", error);
        fx.awaitBound("dev0", "high");
        assertEquals(List.of("probe high"), fx.history("dev0"));
    }
}
