package driver.core.internal;

import driver.core.BindingState;
import driver.core.BusConstants;
import driver.core.DeviceContext;
import driver.core.DeviceInfo;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** A device as the engine tracks it. Mutable only on the bus thread. */
final class Dev<D> {
    final String name;
    final D device;
    /** What the registrant said, without the properties the bus adds. */
    private final Map<String, Object> given;
    private final Consumer<Map<String, Object>> publisher;

    /** What matching sees: the given properties plus the bus's own (override included). */
    Map<String, Object> properties;
    BindingState state = BindingState.UNBOUND;
    Drv<D> driver;
    String override;
    boolean manualUnbind;
    boolean gone;
    String lastError;
    /** Service ids of drivers whose probe failed on this device; not offered again. */
    final Set<Long> failed = new HashSet<>();

    Dev(String name, D device, Map<String, Object> given, Consumer<Map<String, Object>> publisher) {
        this.name = name;
        this.device = device;
        this.given = Map.copyOf(given);
        this.publisher = publisher;
        Object o = given.get(BusConstants.DRIVER_OVERRIDE);
        this.override = o == null || o.toString().isEmpty() ? null : o.toString();
        this.properties = this.given;
    }

    /** Recomputes the published properties and hands them to the registrant's publisher. */
    void publish(String bus) {
        Map<String, Object> p = new LinkedHashMap<>(given);
        p.put(BusConstants.DEVICE_BUS, bus);
        p.put(BusConstants.DEVICE_STATE, state.name());
        if (state == BindingState.BOUND && driver != null) {
            p.put(BusConstants.DEVICE_DRIVER, driver.name);
        }
        if (override != null) {
            p.put(BusConstants.DRIVER_OVERRIDE, override);
        } else {
            p.remove(BusConstants.DRIVER_OVERRIDE);
        }
        properties = Collections.unmodifiableMap(p);
        publisher.accept(properties);
    }

    DeviceInfo info() {
        return new DeviceInfo(name, state, driver == null ? null : driver.name, override, manualUnbind, lastError, properties);
    }

    DeviceContext context(String bus) {
        Map<String, Object> snapshot = properties;
        return new DeviceContext() {
            @Override public String bus() { return bus; }
            @Override public String name() { return name; }
            @Override public Map<String, Object> properties() { return snapshot; }
        };
    }
}
