package vdpa.sim.internal;

import driver.core.BusException;
import java.util.HashMap;
import java.util.Map;

/**
 * The links of one management device: cables by name, made when the first end is plugged in and
 * forgotten when the last one leaves. Loopback links are one per port.
 */
final class Links {

    private final Map<String, Cable> cables = new HashMap<>();

    /** Plugs {@code port} into the link {@code spec} names; returns the link to detach it from later. */
    synchronized Link plug(LinkSpec spec, Port port) throws BusException {
        Link link = switch (spec) {
            case LinkSpec.Loopback l -> new LoopbackLink();
            case LinkSpec.Cable c -> cables.computeIfAbsent(c.name(), Cable::new);
        };
        try {
            link.attach(port);
        } catch (BusException e) {
            forgetIfEmpty(link);
            throw e;
        }
        return link;
    }

    /** Unplugs {@code port} from {@code link}. */
    synchronized void unplug(Link link, Port port) {
        link.detach(port);
        forgetIfEmpty(link);
    }

    private void forgetIfEmpty(Link link) {
        if (link instanceof Cable c && c.isEmpty()) {
            cables.values().remove(c);
        }
    }
}
