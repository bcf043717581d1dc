package itest;

import static org.junit.Assert.assertEquals;

import driver.core.BindingState;
import driver.core.DriverInfo;
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

/**
 * A driver whose service properties change (its bundle calls ServiceRegistration.setProperties)
 * is matched again: a new match rule takes it off devices it no longer matches and gives it the
 * unbound ones it now does; a new ranking orders it anew for unbound devices, while bound devices
 * keep their driver, as in the kernel.
 */
@RunWith(PaxExam.class)
public class DriverChangeIT {

    @Inject
    BundleContext context;

    private BusFixture fx;

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, BusbarOptions.ITEST)};
    }

    @Before
    public void testBus() throws Exception {
        fx = new BusFixture(context);
    }

    @After
    public void uninstallTestBundles() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    public void aMatchRuleThatNoLongerMatchesABoundDeviceHandsItToTheNextDriver() throws Exception {
        fx.driver("first", "(vendor=1)", 10, Probe.succeed());
        fx.driver("second", "(vendor=1)", 1, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "first");

        fx.driverProperties("first").change("(vendor=2)", 10);

        fx.awaitBound("dev0", "second");
        assertEquals(List.of("probe first", "remove first", "probe second"), fx.history("dev0"));
        assertEquals("(vendor=2)", driver("first").match());
    }

    @Test
    public void aMatchRuleThatNowMatchesUnboundDevicesBindsThem() throws Exception {
        fx.driver("alpha", "(vendor=1)", 0, Probe.succeed());
        fx.devices("board", "dev0;vendor=2", "dev1;vendor=1");
        fx.awaitBound("dev1", "alpha");
        fx.awaitState("dev0", BindingState.UNBOUND);

        fx.driverProperties("alpha").change("(|(vendor=1)(vendor=2))", 0);

        fx.awaitBound("dev0", "alpha");
        assertEquals(List.of("probe alpha"), fx.history("dev1"));
    }

    @Test
    public void aNewRankingOrdersUnboundDevicesCandidatesAndBoundDevicesKeepTheirDriver() throws Exception {
        fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.driver("low", "(vendor=1)", 1, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "high");

        fx.driverProperties("low").change("(vendor=1)", 20);

        Await.until("low ranked 20", () -> fx.bus().drivers(), () -> driver("low").ranking() == 20);
        assertEquals("best ranked first", List.of("low", "high"), fx.bus().drivers().stream().map(DriverInfo::name).toList());
        fx.devices("more", "dev1;vendor=1");
        fx.awaitBound("dev1", "low");
        fx.awaitBound("dev0", "high");
        assertEquals(List.of("probe high"), fx.history("dev0"));
    }

    @Test
    public void aMatchRuleMadeInvalidTakesTheDriverOffTheBusUntilItIsValidAgain() throws Exception {
        fx.driver("alpha", "(vendor=1)", 0, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "alpha");

        fx.driverProperties("alpha").change("(vendor=1", 0);

        fx.awaitState("dev0", BindingState.UNBOUND);
        assertEquals(List.of(), fx.bus().drivers());

        fx.driverProperties("alpha").change("(vendor=1)", 0);

        fx.awaitBound("dev0", "alpha");
        assertEquals(List.of("probe alpha", "remove alpha", "probe alpha"), fx.history("dev0"));
    }

    private DriverInfo driver(String name) {
        return fx.bus().drivers().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }
}
