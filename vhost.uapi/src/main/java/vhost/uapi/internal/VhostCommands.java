package vhost.uapi.internal;

import static shell.format.Table.column;

import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import shell.format.Layout;
import shell.format.Listing;
import shell.format.Table;
import vdpa.bus.VqStateSupport;
import vhost.uapi.internal.endpoint.EndpointInfo;
import vhost.uapi.internal.session.SessionInfo;

/**
 * {@code vhost:show [dev] [-j]}: each device vhost_vdpa serves, with its socket, role, connection
 * state, the front-end's pid, negotiated features, memory regions and rings. The command returns
 * records ({@link EndpointInfo}) in a shell.format listing; {@link #format} is the one place that
 * turns them into text.
 */
@Component(service = VhostCommands.class, property = {"osgi.command.scope=vhost", "osgi.command.function=show"})
public final class VhostCommands {

    private final VhostVdpaDriver driver;

    @Activate
    public VhostCommands(@Reference(name = "driver") VhostVdpaDriver driver) {
        this.driver = driver;
    }

    /** The text layout: {@link #format}; JSON is the records as they are. */
    static final Layout<EndpointInfo> LAYOUT = VhostCommands::format;

    static final Table<SessionInfo.Region> REGIONS = Table.of(column("REGION", SessionInfo.Region::index),
            column("GPA", r -> hex(r.gpa())), column("SIZE", r -> hex(r.size())), column("USER_ADDR", r -> hex(r.userAddr())),
            column("SEALS", SessionInfo.Region::seals))
            .indent(4);

    static final Table<SessionInfo.Ring> RINGS = Table.of(column("RING", SessionInfo.Ring::index),
            column("SIZE", SessionInfo.Ring::size), column("ENABLED", r -> r.enabled() ? "yes" : "no"),
            column("READY", r -> r.ready() ? (r.polling() ? "polled" : "yes") : "no"),
            column("LAST_AVAIL", r -> position(r.lastAvail())), column("LAST_USED", r -> position(r.lastUsed())),
            column("KICKS", SessionInfo.Ring::kicks), column("CALLS", SessionInfo.Ring::calls)).indent(4);

    @Descriptor("list the devices served over vhost-user")
    public Listing<EndpointInfo> show(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, presentValue = "true", absentValue = "false") boolean json) {
        return Listing.of(driver.list(), LAYOUT).asJson(json);
    }

    @Descriptor("show one device served over vhost-user")
    public Listing<EndpointInfo> show(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("device name") String device) {
        List<EndpointInfo> one = driver.list().stream().filter(e -> e.device().equals(device)).toList();
        if (one.isEmpty()) {
            throw new IllegalArgumentException("vhost_vdpa serves no device '" + device + "'");
        }
        return Listing.of(one, LAYOUT).asJson(json);
    }

    /** The text form of {@code vhost:show}. */
    static String format(List<? extends EndpointInfo> endpoints) {
        if (endpoints.isEmpty()) {
            return "no device is bound to vhost_vdpa";
        }
        StringBuilder sb = new StringBuilder();
        for (EndpointInfo e : endpoints) {
            SessionInfo s = e.session();
            sb.append(e.device()).append(": ").append(e.socket()).append(' ').append(e.role()).append(' ').append(e.state())
                    .append(s != null && s.frontendPid() > 0 ? " frontend pid " + s.frontendPid() : "")
                    .append(" connections ").append(e.connections()).append('\n');
            if (e.queueState() == VqStateSupport.INITIAL_ONLY) {
                sb.append("    queue state: not reported by the device (it starts rings only at their start and stops them by a reset)\n");
            }
            if (e.lastDisconnect() != null) {
                sb.append("    last disconnect: ").append(e.lastDisconnect()).append('\n');
            }
            if (!e.errors().isEmpty()) {
                sb.append("    protocol errors: ").append(e.errors()).append('\n');
            }
            if (s == null) {
                continue;
            }
            sb.append("    features 0x").append(Long.toHexString(s.features()))
                    .append(" device 0x").append(s.deviceFeatures() < 0 ? "-" : Long.toHexString(s.deviceFeatures()))
                    .append(" protocol 0x").append(Long.toHexString(s.protocolFeatures()))
                    .append(" status 0x").append(Integer.toHexString(s.status()))
                    .append(s.mtu() > 0 ? " mtu " + s.mtu() : "").append(s.receivePairs() > 0 ? " rx-pairs " + s.receivePairs() : "").append(s.backendChannel() ? " backend-channel" : "").append('\n');
            sb.append(REGIONS.text(s.regions()));
            sb.append(RINGS.text(s.rings()));
        }
        return sb.toString().stripTrailing();
    }

    /** A ring position, or "-" where the device cannot report it. */
    private static String position(int p) {
        return p < 0 ? "-" : Integer.toString(p);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
