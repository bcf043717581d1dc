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

/** A device as the engine tracks it. Mutable only on the bus thread. */
final class Dev<D> {
    final String name;
    final D device;
    /** What the registrant said, without the properties the bus adds. */
    private final Map<String, Object> given;
    private final BusEngine.Publication publication;

    /** What matching sees: the given properties plus the bus's own (override included). */
    Map<String, Object> properties;
    BindingState state = BindingState.UNBOUND;
    Drv<D> driver;
    String override;
    boolean manualUnbind;
    boolean gone;
    String lastError;
    /** The bus's count of deferred-probe retries when the running probe began. */
    long triggersAtProbe;
    /** Service ids of drivers whose probe failed on this device; not offered again. */
    final Set<Long> failed = new HashSet<>();

    Dev(String name, D device, Map<String, Object> given, BusEngine.Publication publication) {
        this.name = name;
        this.device = device;
        this.given = Map.copyOf(given);
        this.publication = publication;
        Object o = given.get(BusConstants.DRIVER_OVERRIDE);
        this.override = o == null || o.toString().isEmpty() ? null : o.toString();
        this.properties = this.given;
    }

    /** Recomputes the published properties and hands them to the device's publication. */
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
        publication.update(properties);
    }

    /** Takes the device's service away: it has left the bus. Called once. */
    void withdraw() {
        publication.withdraw();
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
