package driver.core.internal;

import driver.core.BusConstants;
import driver.core.BusEventType;
import driver.core.BusFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Hands out bus engines and posts their events through Event Admin when one is present.
 * Configured under PID {@code driver.core.bus}; a changed configuration reaches every bus already
 * running, not only the ones made afterwards.
 */
@Component(configurationPid = "driver.core.bus")
public final class BusFactoryComponent implements BusFactory {

    @ObjectClassDefinition(name = "Bus engine")
    public @interface Config {
        @AttributeDefinition(description = "How long a probe or remove may run before the bus reports it hung and goes on")
        long hang_timeout_ms() default 10_000;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    private volatile Duration hangTimeout;
    /** The buses this factory made that have not closed: a new configuration reaches them. */
    private final Set<OsgiBus<?>> running = ConcurrentHashMap.newKeySet();

    @Activate
    @Modified
    void configure(Config config) {
        Duration timeout = Duration.ofMillis(Math.max(1, Long.getLong("busbar.bus.hang.timeout.ms", config.hang_timeout_ms())));
        hangTimeout = timeout;
        running.forEach(bus -> bus.hangTimeout(timeout));
    }

    @Override
    public <D> Engine<D> create(BundleContext owner, Spec<D> spec) {
        OsgiBus<D> bus = new OsgiBus<>(owner, spec, hangTimeout,
                (type, device, driver, reason) -> post(spec.name(), type, device, driver, reason), running::remove);
        running.add(bus);
        bus.hangTimeout(hangTimeout); // in case a new configuration arrived while the bus was made
        return bus;
    }

    private void post(String bus, BusEventType type, String device, String driver, String reason) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        Map<String, Object> p = new HashMap<>();
        p.put(BusConstants.EVENT_BUS, bus);
        p.put(BusConstants.EVENT_DEVICE, device);
        if (driver != null) {
            p.put(BusConstants.EVENT_DRIVER, driver);
        }
        if (reason != null) {
            p.put(BusConstants.EVENT_REASON, reason);
        }
        ea.postEvent(new Event(type.topic(), p));
    }
}
