package net.responder.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import virtio.net.api.NetDevice;

/**
 * The responder's state: every NetDevice, and per interface name the addresses {@code net:addr}
 * gave it and its {@link Counters}. An interface that is present and has an address has a
 * {@link Responder} as its receive handler (the responder then owns the handler: frames no longer
 * wait for {@code poll}); when its last address goes, the handler is cleared. Addresses and
 * counters are kept by name while this component lives, so an interface whose driver leaves and
 * comes back answers again at once. Immediate: it holds that state, which a delayed component
 * would lose each time its last user (the {@code net:addr} command Gogo ungets after every
 * command) lets go of it.
 */
@Component(service = Responders.class, immediate = true)
public final class Responders {

    /** What is kept per interface name. */
    private static final class Entry {
        final List<Ipv4Prefix> addresses = new ArrayList<>();
        final Counters counters = new Counters();
        Responder responder;

        int[] hosts() {
            return addresses.stream().mapToInt(Ipv4Prefix::address).toArray();
        }
    }

    /** One interface of {@code net:addr}: its state ({@code up}, {@code down}, or {@code absent}), addresses and counters. */
    public record Interface(String name, String state, String mac, List<String> inet, Map<String, Long> answered) {}

    private final Map<String, NetDevice> devices = new TreeMap<>();
    private final Map<String, Entry> entries = new TreeMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addDevice(NetDevice d) {
        devices.put(d.name(), d);
        Entry e = entries.get(d.name());
        if (e != null && !e.addresses.isEmpty()) {
            attach(d, e);
        }
    }

    synchronized void removeDevice(NetDevice d) {
        if (devices.remove(d.name(), d)) {
            Entry e = entries.get(d.name());
            if (e != null && e.responder != null && e.responder.device() == d) {
                // a device that stays (this component is the one going) must not keep our handler
                d.setReceiveHandler(null);
                e.responder = null;
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        for (Entry e : entries.values()) {
            if (e.responder != null) {
                e.responder.device().setReceiveHandler(null);
                e.responder = null;
            }
        }
    }

    private static void attach(NetDevice d, Entry e) {
        e.responder = new Responder(d, e.counters, e.hosts());
        d.setReceiveHandler(e.responder);
    }

    /**
     * Gives interface {@code name} the address {@code p}.
     *
     * @throws IllegalArgumentException if there is no such interface or it has that address
     */
    synchronized void add(String name, Ipv4Prefix p) {
        NetDevice d = devices.get(name);
        if (d == null) {
            throw new IllegalArgumentException("Device \"" + name + "\" does not exist.");
        }
        Entry e = entries.computeIfAbsent(name, n -> new Entry());
        for (Ipv4Prefix q : e.addresses) {
            if (q.address() == p.address()) {
                throw new IllegalArgumentException(q + " is already an address of " + name);
            }
        }
        e.addresses.add(p);
        if (e.responder == null) {
            attach(d, e);
        } else {
            e.responder.addresses(e.hosts());
        }
    }

    /**
     * Takes address {@code p} from interface {@code name}.
     *
     * @throws IllegalArgumentException if it does not have that address (with that prefix length)
     */
    synchronized void delete(String name, Ipv4Prefix p) {
        Entry e = entries.get(name);
        if (e == null || !e.addresses.remove(p)) {
            throw new IllegalArgumentException(p + " is not an address of " + name);
        }
        if (e.responder != null) {
            if (e.addresses.isEmpty()) {
                e.responder.device().setReceiveHandler(null);
                e.responder = null;
            } else {
                e.responder.addresses(e.hosts());
            }
        }
    }

    /** Every present interface and every one with addresses, by name; only {@code name}'s if not null. */
    synchronized List<Interface> list(String name) {
        TreeSet<String> names = new TreeSet<>(devices.keySet());
        entries.forEach((n, e) -> {
            if (!e.addresses.isEmpty()) {
                names.add(n);
            }
        });
        List<Interface> out = new ArrayList<>();
        for (String n : names) {
            if (name != null && !name.equals(n)) {
                continue;
            }
            NetDevice d = devices.get(n);
            Entry e = entries.get(n);
            out.add(new Interface(n, d == null ? "absent" : d.link().property(), d == null ? null : d.mac().toString(),
                    e == null ? List.of() : e.addresses.stream().map(Ipv4Prefix::toString).toList(),
                    (e == null ? new Counters() : e.counters).snapshot()));
        }
        return out;
    }
}
