package driver.core;

import java.util.Map;

/**
 * A snapshot of one device on a bus.
 *
 * @param name the device's name on the bus
 * @param state its binding state
 * @param driver the bound (or probing) driver's name, or {@code null}
 * @param override the {@value BusConstants#DRIVER_OVERRIDE} driver name, or {@code null}
 * @param manuallyUnbound true after {@link Bus#unbind}: the bus leaves it alone until a bind
 * @param lastError why the last probe failed or was deferred, or {@code null}
 * @param properties the device's service properties
 */
public record DeviceInfo(
        String name,
        BindingState state,
        String driver,
        String override,
        boolean manuallyUnbound,
        String lastError,
        Map<String, Object> properties) {}
