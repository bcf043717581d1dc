package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.DeviceInfo;
import driver.core.DeviceRegistration;
import driver.core.DriverInfo;
import itest.fixture.Marker;
import itest.fixture.Probe;
import itest.fixture.TestDevice;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;

/**
 * Hot-plug on a real bus in a real Felix: driver and device bundles built for the test are
 * installed and uninstalled, and the bus binds, hands over, falls through, pins and retries. A
 * driver whose service properties change is matched again: a new match rule takes it off devices
 * it no longer matches and gives it the unbound ones it now does; a new ranking orders it anew for
 * unbound devices, while bound devices keep their driver, as in the kernel.
 */
@RunWith(PaxExam.class)
public class BindingIT {

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
    public void driverInstalledAfterItsDevicesBindsTheMatchingOnes() throws Exception {
        fx.devices("board", "dev0;vendor=1", "dev1;vendor=1", "dev2;vendor=2");
        fx.awaitState("dev0", BindingState.UNBOUND);
        fx.awaitState("dev2", BindingState.UNBOUND);

        fx.driver("alpha", "(vendor=1)", 0, Probe.succeed());

        fx.awaitBound("dev0", "alpha");
        fx.awaitBound("dev1", "alpha");
        fx.awaitState("dev2", BindingState.UNBOUND);
        assertEquals(List.of(), fx.history("dev2"));
    }

    @Test
    public void uninstalledDriverIsRemovedAndALowerRankedMatchTakesOver() throws Exception {
        // low first: it has the older service id, so only its ranking puts high ahead of it
        fx.driver("low", "(vendor=1)", 1, Probe.succeed());
        Bundle high = fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "high");

        fx.uninstall(high);

        fx.awaitBound("dev0", "low");
        assertEquals(List.of("probe high", "remove high", "probe low"), fx.history("dev0"));
        assertNull(fx.device("dev0").violation());
    }

    @Test
    public void uninstalledDriverWithNoReplacementLeavesItsDevicesUnbound() throws Exception {
        Bundle only = fx.driver("only", "(vendor=1)", 0, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "only");

        fx.uninstall(only);

        fx.awaitState("dev0", BindingState.UNBOUND);
        assertEquals(List.of("probe only", "remove only"), fx.history("dev0"));
    }

    @Test
    public void failingProbeFallsThroughToTheNextMatchingDriver() throws Exception {
        fx.driver("good", "(vendor=1)", 1, Probe.succeed());
        fx.driver("broken", "(vendor=1)", 10, Probe.fail());
        fx.devices("board", "dev0;vendor=1");

        fx.awaitBound("dev0", "good");
        assertEquals(List.of("fail broken", "probe good"), fx.history("dev0"));
    }

    @Test
    public void deviceNoDriverTakesStaysListedAsUnbound() throws Exception {
        fx.driver("broken", "(vendor=1)", 0, Probe.fail());
        fx.devices("board", "dev0;vendor=1");

        Await.until("the failed probe", () -> fx.describe("dev0"), () -> fx.history("dev0").contains("fail broken"));
        fx.awaitState("dev0", BindingState.UNBOUND);
        DeviceInfo info = fx.info("dev0").orElseThrow();
        assertTrue("last error names the refusal: " + info, String.valueOf(info.lastError()).contains("refuses dev0"));
    }

    @Test
    public void overridePropertyPinsADeviceToTheNamedDriver() throws Exception {
        fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.devices("board", "dev0;vendor=1;driver_override=pinned", "dev1;vendor=1");
        fx.awaitBound("dev1", "high");
        fx.awaitState("dev0", BindingState.UNBOUND);

        fx.driver("pinned", "(vendor=1)", 1, Probe.succeed());

        fx.awaitBound("dev0", "pinned");
        assertEquals(List.of("probe pinned"), fx.history("dev0"));
    }

    @Test
    public void overrideCommandMovesABoundDeviceAndClearingItKeepsTheBinding() throws Exception {
        fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.driver("low", "(vendor=1)", 1, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "high");

        fx.bus().override("dev0", "low");
        fx.awaitBound("dev0", "low");
        assertEquals("low", fx.info("dev0").orElseThrow().override());

        fx.bus().override("dev0", null);
        assertNull(fx.info("dev0").orElseThrow().override());
        fx.awaitBound("dev0", "low");
        assertEquals(List.of("probe high", "remove high", "probe low"), fx.history("dev0"));
    }

    @Test
    public void toTheBusADashIsADriverNameLikeAnyOtherNotTheShellsWayToClear() throws Exception {
        fx.driver("high", "(vendor=1)", 10, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "high");

        fx.bus().override("dev0", "-");

        fx.awaitState("dev0", BindingState.UNBOUND);
        assertEquals("-", fx.info("dev0").orElseThrow().override());
    }

    @Test
    public void manualUnbindHoldsUntilBind() throws Exception {
        fx.driver("alpha", "(vendor=1)", 0, Probe.succeed());
        fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "alpha");

        fx.bus().unbind("dev0");
        fx.awaitState("dev0", BindingState.UNBOUND);
        assertTrue(fx.info("dev0").orElseThrow().manuallyUnbound());
        fx.driver("beta", "(vendor=1)", 5, Probe.succeed());
        fx.awaitState("dev0", BindingState.UNBOUND);

        fx.bus().bind("dev0", "alpha");
        fx.awaitBound("dev0", "alpha");
    }

    @Test
    public void deferredProbeCompletesWhenTheMissingServiceArrives() throws Exception {
        fx.driver("waiter", "(vendor=1)", 0, Probe.deferUntil("clock"));
        fx.devices("board", "dev0;vendor=1");
        fx.awaitState("dev0", BindingState.DEFERRED);
        assertTrue(String.valueOf(fx.info("dev0").orElseThrow().lastError()).contains("waiting for marker clock"));

        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Marker.NAME, "clock");
        ServiceRegistration<Marker> marker = context.registerService(Marker.class, new Marker(), props);
        try {
            fx.awaitBound("dev0", "waiter");
            assertEquals("probe waiter", fx.history("dev0").getLast());
        } finally {
            marker.unregister();
        }
    }

    @Test
    public void uninstalledDeviceBundleIsRemovedFromItsDriverFirst() throws Exception {
        fx.driver("alpha", "(vendor=1)", 0, Probe.succeed());
        Bundle board = fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "alpha");
        var device = fx.device("dev0");

        fx.uninstall(board);

        Await.until("dev0 off the bus", () -> fx.bus().devices(), () -> fx.info("dev0").isEmpty() && fx.deviceRef("dev0") == null);
        assertEquals(List.of("probe alpha", "remove alpha"), device.history());
        assertNull(device.violation());
    }

    @Test
    public void aDuplicateDeviceNameIsRefusedBeforeAnyServiceIsPublishedForIt() throws Exception {
        List<String> registered = new CopyOnWriteArrayList<>();
        ServiceListener listener = e -> {
            if (e.getType() == ServiceEvent.REGISTERED) {
                registered.add(String.valueOf(e.getServiceReference().getProperty(BusConstants.DEVICE_NAME)));
            }
        };
        context.addServiceListener(listener, "(objectClass=" + TestDevice.class.getName() + ")");
        try (DeviceRegistration first = fx.bus().register(new TestDevice("dup"), Map.of(BusConstants.DEVICE_NAME, "dup"))) {
            BusException refused = assertThrows(BusException.class,
                    () -> fx.bus().register(new TestDevice("dup"), Map.of(BusConstants.DEVICE_NAME, "dup")));
            assertTrue(refused.getMessage(), refused.getMessage().contains("already taken"));
            assertEquals("one device service for the name, never a second one", List.of("dup"), registered);
        } finally {
            context.removeServiceListener(listener);
        }
    }

    // ---- a driver's service properties change (its bundle calls ServiceRegistration.setProperties) ----

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
