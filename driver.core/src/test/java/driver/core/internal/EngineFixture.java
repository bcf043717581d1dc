package driver.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.BusException;
import driver.core.DeviceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * A bus engine for tests, with a journal of every probe and remove, the properties each device was
 * last published with, and the events and log records it produced.
 */
abstract class EngineFixture {

    final List<String> journal = TestDriver.journal();
    final Map<String, String> holders = TestDriver.holders();
    final List<String> events = new CopyOnWriteArrayList<>();
    final Map<String, Map<String, Object>> published = new ConcurrentHashMap<>();
    final AtomicLong ids = new AtomicLong(100);
    BusEngine<String> bus = new BusEngine<>("test", Duration.ofMillis(300),
            (type, device, driver, reason) -> events.add(type + " " + device + (driver == null ? "" : " " + driver)));

    final LogRecorder log = new LogRecorder();

    @AfterEach
    void close() {
        bus.close();
        log.close();
    }

    TestDriver driver(String name, String match, int ranking) throws InvalidSyntaxException {
        return driver(name, match, ranking, TestDriver.Mode.OK);
    }

    /** The mode is set before the bus sees the driver: it may probe at once. */
    TestDriver driver(String name, String match, int ranking, TestDriver.Mode mode) throws InvalidSyntaxException {
        TestDriver d = new TestDriver(name, journal, holders).mode(mode);
        if (mode == TestDriver.Mode.DEFER) {
            d.ready = dev -> false;
        }
        d.handle = bus.addDriver(name, FrameworkUtil.createFilter(match), ranking, ids.incrementAndGet(), "test.bundle", d);
        handles.put(name, d.handle);
        return d;
    }

    void device(String name, Object... kv) throws BusException {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(BusConstants.DEVICE_NAME, name);
        for (int i = 0; i < kv.length; i += 2) {
            props.put((String) kv[i], kv[i + 1]);
        }
        bus.addDevice(name, name, props, first -> service(name, first));
    }

    final List<String> withdrawn = new CopyOnWriteArrayList<>();

    /** A device's service, in maps: what the bus last published for it, and when it was withdrawn. */
    BusEngine.Publication service(String name, Map<String, Object> first) {
        return new MapPublication(name, first, published,
                () -> withdrawn.add(name + (journal.isEmpty() ? "" : " after " + journal.getLast())));
    }

    DeviceInfo info(String name) {
        return bus.devices().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    final Map<String, Object> handles = new ConcurrentHashMap<>();

    void awaitState(String device, BindingState state) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (info(device).state() != state && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(info(device).state()).isEqualTo(state);
    }
}
