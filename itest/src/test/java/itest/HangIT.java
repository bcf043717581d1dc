package itest;

import static org.junit.Assert.assertTrue;

import driver.core.BusConstants;
import driver.core.BusEventType;
import driver.core.BusFactory;
import itest.fixture.Probe;
import itest.fixture.TestBus;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A probe that never returns is reported, naming device and driver, and the bus goes on. The hang
 * timeout is set through Configuration Admin (PID {@code driver.core.bus}), as an operator would,
 * and reaches buses created afterwards and buses already running.
 */
@RunWith(PaxExam.class)
public class HangIT {
    private static final long TIMEOUT_MS = 500;
    /** The factory's configuration property (DS maps the method hang_timeout_ms() to this name). */
    private static final String HANG_TIMEOUT = "hang.timeout.ms";

    @Inject
    BundleContext context;

    private BusFixture fx;
    private ServiceRegistration<EventHandler> handler;
    private final List<Event> hung = new CopyOnWriteArrayList<>();

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE, BusbarOptions.ITEST)};
    }

    @After
    public void cleanUp() {
        if (handler != null) {
            handler.unregister();
        }
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    public void hungProbeIsReportedAndTheBusServesOtherDevices() throws Exception {
        shortenHangTimeout();
        Bundle fixture = FrameworkUtil.getBundle(TestBus.class);
        fixture.stop();
        fixture.start();
        fx = new BusFixture(context);
        subscribeToHangs();

        fx.driver("slow", "(vendor=1)", 0, Probe.hang());
        fx.driver("other", "(vendor=2)", 0, Probe.succeed());
        fx.devices("board", "stuck;vendor=1");
        Await.until("the hang to start", () -> fx.describe("stuck"), () -> fx.history("stuck").contains("hang slow"));
        fx.devices("more", "dev1;vendor=2");

        Await.until("a HUNG event for stuck/slow", () -> hung, () -> hung.stream().anyMatch(
                e -> "stuck".equals(e.getProperty(BusConstants.EVENT_DEVICE)) && "slow".equals(e.getProperty(BusConstants.EVENT_DRIVER))));
        fx.awaitBound("dev1", "other");
        String reason = String.valueOf(hung.getFirst().getProperty(BusConstants.EVENT_REASON));
        assertTrue(reason, reason.contains(TIMEOUT_MS + " ms"));
    }

    @Test
    public void aChangedHangTimeoutReachesABusThatIsAlreadyRunning() throws Exception {
        fx = new BusFixture(context); // created with the default timeout, 10 s
        shortenHangTimeout();
        subscribeToHangs();

        fx.driver("slow", "(vendor=1)", 0, Probe.hang());
        fx.devices("board", "stuck;vendor=1");

        Await.until("a HUNG event for stuck well before the default timeout", () -> hung,
                () -> !hung.isEmpty(), Duration.ofSeconds(5));
        String reason = String.valueOf(hung.getFirst().getProperty(BusConstants.EVENT_REASON));
        assertTrue(reason, reason.contains(TIMEOUT_MS + " ms"));
    }

    private void subscribeToHangs() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, BusEventType.HUNG.topic());
        props.put(EventConstants.EVENT_FILTER, "(" + BusConstants.EVENT_BUS + "=" + TestBus.NAME + ")");
        handler = context.registerService(EventHandler.class, hung::add, props);
    }

    /**
     * Configures the factory's hang timeout as an operator would and waits until the BusFactory
     * component took it (DS copies configuration into the service properties).
     */
    private void shortenHangTimeout() throws Exception {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> cm = new ServiceTracker<>(context, ConfigurationAdmin.class, null);
        cm.open();
        try {
            ConfigurationAdmin admin = cm.waitForService(Await.DEFAULT.toMillis());
            Hashtable<String, Object> config = new Hashtable<>();
            config.put(HANG_TIMEOUT, TIMEOUT_MS);
            admin.getConfiguration("driver.core.bus", null).update(config);
        } finally {
            cm.close();
        }
        Await.until("BusFactory configured with " + HANG_TIMEOUT + "=" + TIMEOUT_MS, () -> factoryTimeout(),
                () -> Long.valueOf(TIMEOUT_MS).equals(factoryTimeout()));
    }

    private Object factoryTimeout() {
        ServiceReference<BusFactory> ref = context.getServiceReference(BusFactory.class);
        return ref == null ? null : ref.getProperty(HANG_TIMEOUT);
    }
}
