package driver.core;

import java.util.Map;
import java.util.function.Function;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.BundleContext;

/**
 * Creates bus engines. A concrete bus bundle asks for one when it activates and closes it when it
 * deactivates; the engine tracks driver services and publishes device services through the
 * bundle context it is given, so they appear as the bus bundle's.
 */
@ProviderType
public interface BusFactory {

    /**
     * What a bus binds.
     *
     * @param name the bus name ({@value BusConstants#BUS_NAME})
     * @param deviceType devices are published under this type
     * @param driverType drivers are tracked under this type (it must extend {@link Driver})
     * @param validator returns why a device is refused, or {@code null} to accept it; runs first,
     *     before anything else asks the device a question. It need not guard the device's ops: an
     *     op that throws (here or in {@code identity}) refuses the device with what it threw
     * @param identity the properties the bus reads off an accepted device (its ids) and publishes
     *     with it; a registrant that gives one of them with another value is refused
     */
    record Spec<D>(String name, Class<D> deviceType, Class<?> driverType, Function<? super D, String> validator,
            Function<? super D, Map<String, ?>> identity) {

        /** A bus that accepts every device of its type and derives no properties. */
        public Spec(String name, Class<D> deviceType, Class<?> driverType) {
            this(name, deviceType, driverType, d -> null, d -> Map.of());
        }
    }

    /** A running bus engine; closing it removes every driver from every device and unregisters all. */
    interface Engine<D> extends Bus<D>, AutoCloseable {
        @Override
        void close();
    }

    /** Starts a bus. Returns at once: matching happens on the bus's own thread. */
    <D> Engine<D> create(BundleContext owner, Spec<D> spec);
}
