package net.responder.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import shell.format.Layout;
import shell.format.Listing;

/**
 * {@code net:addr}: the responder's IPv4 addresses per interface, like {@code ip addr}, with what
 * it answered. It returns records (a shell.format listing); refusals are
 * {@link IllegalArgumentException}s, one line each.
 */
@Component(service = AddrCommand.class, property = {"osgi.command.scope=net", "osgi.command.function=addr"})
public final class AddrCommand {

    private final Responders responders;

    @Activate
    public AddrCommand(@Reference(name = "responders") Responders responders) {
        this.responders = responders;
    }

    /**
     * One function for every form, so Gogo never has to choose between overloads of the same
     * arity: {@code net:addr [-j] [dev]} lists, {@code net:addr dev [add|del] address/prefix} changes.
     */
    @Descriptor("IPv4 addresses the responder answers ARP and ping for: addr [-j] [<dev>] lists;"
            + " addr <dev> [add|del] <address/prefix> adds or deletes")
    public Listing<Responders.Interface> addr(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("[<dev>] or <dev> [add|del] <address/prefix>, e.g. eth0 10.0.3.1/24") String... args) {
        switch (args.length) {
            case 0 -> {
                return Listing.of(responders.list(null), INTERFACES).asJson(json);
            }
            case 1 -> {
                List<Responders.Interface> l = responders.list(args[0]);
                if (l.isEmpty()) {
                    throw new IllegalArgumentException("Device \"" + args[0] + "\" does not exist.");
                }
                return Listing.of(l, INTERFACES).asJson(json);
            }
            case 2 -> responders.add(args[0], Ipv4Prefix.parse(args[1]));
            case 3 -> {
                Ipv4Prefix p = Ipv4Prefix.parse(args[2]);
                switch (args[1]) {
                    case "add" -> responders.add(args[0], p);
                    case "del", "delete" -> responders.delete(args[0], p);
                    default -> throw new IllegalArgumentException("unknown operation '" + args[1] + "': expected add or del");
                }
            }
            default -> throw new IllegalArgumentException("too many arguments: addr [-j] [<dev>] | addr <dev> [add|del] <address/prefix>");
        }
        // a change prints the interface as it is now
        return Listing.of(responders.list(args[0]), INTERFACES).asJson(json);
    }

    /**
     * Like {@code ip addr}: the interface, its addresses, then the responder's counters.
     * <pre>
     * eth0: &lt;UP&gt; link/ether 52:54:00:12:34:00
     *     inet 10.0.3.1/24
     *     arp_replies 1 echo_replies 3 ignored 7 drop_truncated 0 ...
     * </pre>
     */
    static final Layout<Responders.Interface> INTERFACES = records -> {
        StringBuilder sb = new StringBuilder();
        for (Responders.Interface i : records) {
            sb.append(i.name()).append(": <").append(i.state().toUpperCase(Locale.ROOT)).append('>');
            if (i.mac() != null) {
                sb.append(" link/ether ").append(i.mac());
            }
            sb.append('\n');
            for (String a : i.inet()) {
                sb.append("    inet ").append(a).append('\n');
            }
            sb.append("   ");
            for (Map.Entry<String, Long> c : i.answered().entrySet()) {
                sb.append(' ').append(c.getKey()).append(' ').append(c.getValue());
            }
            sb.append('\n');
        }
        return sb.toString();
    };
}
