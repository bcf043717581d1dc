package driver.core.internal;

import driver.core.Driver;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Filter;

/** A driver as the engine tracks it. Mutable only on the bus thread. */
final class Drv<D> {
    final long serviceId;
    final String bundle;
    final Driver<D> driver;
    /** What its service properties say; they may change while it is on the bus. */
    String name;
    Filter match;
    String matchText;
    int ranking;
    /** False: offered a device only when asked (bind, or the device's override names it). */
    boolean autoprobe = true;
    /** Devices bound to this driver, in bind order. */
    final List<Dev<D>> bound = new ArrayList<>();
    boolean gone;

    Drv(String name, Filter match, int ranking, long serviceId, String bundle, Driver<D> driver) {
        this.serviceId = serviceId;
        this.bundle = bundle;
        this.driver = driver;
        describe(name, match, ranking);
    }

    void describe(String name, Filter match, int ranking, boolean autoprobe) {
        describe(name, match, ranking);
        this.autoprobe = autoprobe;
    }

    void describe(String name, Filter match, int ranking) {
        this.name = name;
        this.match = match;
        this.matchText = match.toString();
        this.ranking = ranking;
    }
}
