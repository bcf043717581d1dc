package driver.core.internal;

import driver.core.Driver;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Filter;

/** A driver as the engine tracks it. Mutable only on the bus thread. */
final class Drv<D> {
    final String name;
    final Filter match;
    final String matchText;
    final int ranking;
    final long serviceId;
    final String bundle;
    final Driver<D> driver;
    /** Devices bound to this driver, in bind order. */
    final List<Dev<D>> bound = new ArrayList<>();
    boolean gone;

    Drv(String name, Filter match, int ranking, long serviceId, String bundle, Driver<D> driver) {
        this.name = name;
        this.match = match;
        this.matchText = match.toString();
        this.ranking = ranking;
        this.serviceId = serviceId;
        this.bundle = bundle;
        this.driver = driver;
    }
}
