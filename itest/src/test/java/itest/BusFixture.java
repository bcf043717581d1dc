package itest;

import driver.core.BindingState;
import driver.core.Bus;
import driver.core.BusConstants;
import driver.core.DeviceInfo;
import itest.fixture.DriverProperties;
import itest.fixture.Probe;
import itest.fixture.TestBus;
import itest.fixture.TestBundles;
import itest.fixture.TestDevice;
import itest.fixture.TestDriver;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The test bus as a test sees it: installs and uninstalls test driver and device bundles, reads
 * the bus's view of each device, and waits (bounded) for bindings. {@link #close()} uninstalls
 * everything this fixture installed.
 */
final class BusFixture implements AutoCloseable {
    private final BundleContext context;
    private final Bus<TestDevice> bus;
    private final Deque<Bundle> installed = new ArrayDeque<>();

    @SuppressWarnings("unchecked")
    BusFixture(BundleContext context) throws InterruptedException, InvalidSyntaxException {
        this.context = context;
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter(TestBus.FILTER), null);
        tracker.open();
        try {
            Object found = tracker.waitForService(Await.DEFAULT.toMillis());
            if (found == null) {
                throw new AssertionError("no test bus within " + Await.DEFAULT.toMillis() + " ms: driver.core's BusFactory or the itest bundle did not start");
            }
            this.bus = (Bus<TestDevice>) found;
        } finally {
            tracker.close();
        }
    }

    Bus<TestDevice> bus() {
        return bus;
    }

    /** Installs and starts a test driver bundle. */
    Bundle driver(String name, String match, int ranking, Probe probe) throws BundleException {
        return install("itest:driver:" + name, TestBundles.driver(name, match, ranking, probe));
    }

    /** The handle through which a test changes a test driver's service properties. */
    DriverProperties driverProperties(String driver) {
        try {
            Collection<ServiceReference<TestDriver>> refs =
                    context.getServiceReferences(TestDriver.class, "(" + BusConstants.DRIVER_NAME + "=" + driver + ")");
            if (refs.isEmpty()) {
                throw new AssertionError("no test driver " + driver);
            }
            return (DriverProperties) context.getService(refs.iterator().next());
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Installs and starts a test device bundle. */
    Bundle devices(String bundle, String... devices) throws BundleException {
        return install("itest:devices:" + bundle, TestBundles.devices(bundle, devices));
    }

    private Bundle install(String location, byte[] jar) throws BundleException {
        Bundle b = context.installBundle(location, new ByteArrayInputStream(jar));
        installed.push(b);
        b.start();
        return b;
    }

    /** Uninstalls a bundle this fixture installed; its services (driver or devices) go with it. */
    void uninstall(Bundle b) throws BundleException {
        installed.remove(b);
        b.uninstall();
    }

    Optional<DeviceInfo> info(String device) {
        return bus.devices().stream().filter(d -> d.name().equals(device)).findFirst();
    }

    /** The device object behind the device service of that name. */
    TestDevice device(String name) {
        Await.until("device service " + name, bus::devices, () -> deviceRef(name) != null);
        return context.getService(deviceRef(name));
    }

    ServiceReference<TestDevice> deviceRef(String name) {
        try {
            Collection<ServiceReference<TestDevice>> refs =
                    context.getServiceReferences(TestDevice.class, "(" + BusConstants.DEVICE_NAME + "=" + name + ")");
            return refs.isEmpty() ? null : refs.iterator().next();
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Waits until the device is bound to {@code driver} as the bus, the device service's
     * {@value BusConstants#DEVICE_DRIVER} property and the device itself all tell it.
     */
    void awaitBound(String device, String driver) {
        TestDevice d = device(device);
        Await.until(device + " bound to " + driver, () -> describe(device),
                () -> info(device).filter(i -> i.state() == BindingState.BOUND && driver.equals(i.driver())).isPresent()
                        && driver.equals(d.holder())
                        && driver.equals(deviceRef(device).getProperty(BusConstants.DEVICE_DRIVER)));
    }

    /** Waits until the bus shows the device in {@code state} with no driver holding it. */
    void awaitState(String device, BindingState state) {
        Await.until(device + " " + state, () -> describe(device),
                () -> info(device).filter(i -> i.state() == state).isPresent() && device(device).holder() == null);
    }

    String describe(String device) {
        ServiceReference<TestDevice> ref = deviceRef(device);
        return info(device).map(Object::toString).orElse(device + " not on the bus")
                + (ref == null ? "" : "; history " + context.getService(ref).history());
    }

    List<String> history(String device) {
        return device(device).history();
    }

    @Override
    public void close() {
        while (!installed.isEmpty()) {
            try {
                installed.pop().uninstall();
            } catch (BundleException | IllegalStateException e) {
                // already gone
            }
        }
    }
}
