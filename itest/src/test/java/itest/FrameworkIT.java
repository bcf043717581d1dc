package itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import driver.core.BusFactory;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventAdmin;
import org.osgi.util.tracker.ServiceTracker;

/** The platform boots: every bundle resolves and starts, and driver.core publishes its BusFactory. */
@RunWith(PaxExam.class)
public class FrameworkIT {

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return new Option[] {BusbarOptions.felix(BusbarOptions.DRIVER_CORE)};
    }

    @Test
    public void everyBundleIsActive() {
        String notActive = Arrays.stream(context.getBundles())
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " state " + b.getState())
                .collect(Collectors.joining(", "));
        assertEquals("bundles not active", "", notActive);
    }

    @Test
    public void driverCorePublishesBusFactoryWithConfigAndEventAdmin() throws InterruptedException {
        assertNotNull("BusFactory service", waitFor(BusFactory.class));
        assertNotNull("ConfigurationAdmin service", waitFor(ConfigurationAdmin.class));
        assertNotNull("EventAdmin service", waitFor(EventAdmin.class));
    }

    private <T> T waitFor(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            return tracker.waitForService(10_000);
        } finally {
            tracker.close();
        }
    }
}
