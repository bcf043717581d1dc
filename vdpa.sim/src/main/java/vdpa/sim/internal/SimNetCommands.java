package vdpa.sim.internal;

import static shell.format.Table.column;

import driver.core.BusException;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import shell.format.Layout;
import shell.format.Listing;
import shell.format.Table;

/**
 * Gogo commands {@code vdpasim:show} and {@code vdpasim:link}: the simulator's own knobs, which
 * iproute2's {@code vdpa} has no words for. They return records (shell.format listings); errors are
 * {@link IllegalArgumentException}s, one line each.
 */
@Component(service = SimNetCommands.class, property = {
        "osgi.command.scope=vdpasim", "osgi.command.function=show", "osgi.command.function=link"})
public final class SimNetCommands {

    private final SimNetMgmtDevice mgmt;

    @Activate
    public SimNetCommands(@Reference(name = "mgmtdev") SimNetMgmtDevice mgmt) {
        this.mgmt = mgmt;
    }

    static final Table<SimNetMgmtDevice.Info> TABLE = Table.of(column("DEVICE", SimNetMgmtDevice.Info::name),
            column("ON", SimNetMgmtDevice.Info::on), column("MAC", SimNetMgmtDevice.Info::mac), column("MTU", SimNetMgmtDevice.Info::mtu),
            column("MAX_VQP", SimNetMgmtDevice.Info::maxVqp), column("LINK", SimNetMgmtDevice.Info::link),
            column("STATE", i -> i.linkUp() ? "up" : "down"), column("CONFIG_REFUSED", SimNetMgmtDevice.Info::configRefused));

    /** The table, then a line for each link with counters of its own (a TAP's, a sink's, a generator's) or a failure. */
    static final Layout<SimNetMgmtDevice.Info> DEVICES = records -> {
        StringBuilder sb = new StringBuilder(TABLE.text(records));
        for (SimNetMgmtDevice.Info i : records) {
            if (!i.linkCounters().isEmpty() || i.linkFailure() != null) {
                sb.append(i.name()).append(' ').append(i.link()).append(':');
                i.linkCounters().forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
                if (i.linkFailure() != null) {
                    sb.append(" failed: ").append(i.linkFailure());
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    };

    @Descriptor("list simulated devices with their links (and the counters of a TAP, sink or generator link)")
    public Listing<SimNetMgmtDevice.Info> show(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, presentValue = "true", absentValue = "false") boolean json) {
        return Listing.of(mgmt.list(), DEVICES).asJson(json);
    }

    @Descriptor("move a device's wire: link <dev> loopback|cable:<name>|tap:<ifname>[@<netns>]|sink|generator:<size>[,count=<n>]; prints the device as show does")
    public Listing<SimNetMgmtDevice.Info> link(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("device name") String device,
            @Descriptor("loopback, cable:<name>, tap:<ifname>[@<netns>] (a host TAP interface, in that ip netns), sink"
                    + " (counts and drops), or generator:<size>[,count=<n>] (sends frames of size bytes as fast as the device takes them)") String link) {
        try {
            mgmt.relink(device, LinkSpec.parse(link));
        } catch (BusException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<SimNetMgmtDevice.Info> moved = mgmt.list().stream().filter(i -> i.name().equals(device)).toList();
        return Listing.of(moved, DEVICES).asJson(json);
    }
}
