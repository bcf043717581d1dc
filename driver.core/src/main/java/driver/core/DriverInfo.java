package driver.core;

import java.util.List;

/**
 * A snapshot of one driver on a bus.
 *
 * @param name the driver's name
 * @param match its match rule (an LDAP filter over device properties)
 * @param ranking its service ranking
 * @param serviceId its service id (the second tie breaker)
 * @param bundle the symbolic name of the bundle that registered it, or {@code null}
 * @param devices the names of the devices bound to it, in bind order
 * @param autoprobe false if it binds only when asked ({@value BusConstants#DRIVER_AUTOPROBE})
 */
public record DriverInfo(String name, String match, int ranking, long serviceId, String bundle, List<String> devices,
        boolean autoprobe) {

    /** A driver that binds on its own. */
    public DriverInfo(String name, String match, int ranking, long serviceId, String bundle, List<String> devices) {
        this(name, match, ranking, serviceId, bundle, devices, true);
    }
}
