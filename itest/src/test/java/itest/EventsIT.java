package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import driver.core.BusConstants;
import driver.core.BusEventType;
import itest.fixture.Probe;
import itest.fixture.TestBus;
import java.util.Hashtable;
import java.util.List;
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
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** Bus events reach Event Admin subscribers, in the order things happened to a device. */
@RunWith(PaxExam.class)
public class EventsIT {

    @Inject
    BundleContext context;

    private BusFixture fx;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private ServiceRegistration<EventHandler> handler;

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, BusbarOptions.ITEST)};
    }

    @Before
    public void subscribe() throws Exception {
        fx = new BusFixture(context);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, BusConstants.TOPIC_PREFIX + "*");
        props.put(EventConstants.EVENT_FILTER, "(" + BusConstants.EVENT_BUS + "=" + TestBus.NAME + ")");
        handler = context.registerService(EventHandler.class, events::add, props);
    }

    @After
    public void unsubscribe() {
        handler.unregister();
        fx.close();
    }

    @Test
    public void aDevicesLifeIsPostedInOrder() throws Exception {
        fx.driver("broken", "(vendor=1)", 10, Probe.fail());
        fx.driver("good", "(vendor=1)", 1, Probe.succeed());
        Bundle board = fx.devices("board", "dev0;vendor=1");
        fx.awaitBound("dev0", "good");
        fx.uninstall(board);

        List<String> expected = List.of(
                "DEVICE_ADDED dev0 null", "PROBE_FAILED dev0 broken", "BOUND dev0 good",
                "UNBOUND dev0 good", "DEVICE_REMOVED dev0 null");
        Await.until("the device's events", this::seen, () -> seen().size() >= expected.size());
        assertEquals(expected, seen());

        Event failed = events.stream().filter(e -> e.getTopic().equals(BusEventType.PROBE_FAILED.topic())).findFirst().orElseThrow();
        assertTrue("reason carries the probe's message: " + failed.getProperty(BusConstants.EVENT_REASON),
                String.valueOf(failed.getProperty(BusConstants.EVENT_REASON)).contains("refuses dev0"));
    }

    @Test
    public void aDeferredProbeIsPosted() throws Exception {
        fx.driver("waiter", "(vendor=1)", 0, Probe.deferUntil("never"));
        fx.devices("board", "dev0;vendor=1");

        Await.until("PROBE_DEFERRED", this::seen, () -> seen().contains("PROBE_DEFERRED dev0 waiter"));
        Event deferred = events.stream().filter(e -> e.getTopic().equals(BusEventType.PROBE_DEFERRED.topic())).findFirst().orElseThrow();
        assertTrue(String.valueOf(deferred.getProperty(BusConstants.EVENT_REASON)).contains("waiting for marker never"));
    }

    /** "TYPE device driver" for each event seen, in arrival order (Event Admin posts in order). */
    private List<String> seen() {
        return events.stream()
                .map(e -> e.getTopic().substring(BusConstants.TOPIC_PREFIX.length()) + " "
                        + e.getProperty(BusConstants.EVENT_DEVICE) + " " + e.getProperty(BusConstants.EVENT_DRIVER))
                .toList();
    }
}
