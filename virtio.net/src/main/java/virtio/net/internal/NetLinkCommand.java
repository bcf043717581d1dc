package virtio.net.internal;

import driver.core.shell.Json;
import driver.core.shell.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import virtio.net.api.NetDevice;
import virtio.net.api.QueueStats;

/** {@code net:link}: the NetDevices with their per-queue counters, like {@code ip -s link}. */
@Component(service = NetLinkCommand.class, property = {"osgi.command.scope=net", "osgi.command.function=link"})
public final class NetLinkCommand {

    private final Map<String, NetDevice> devices = new ConcurrentSkipListMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(NetDevice d) {
        devices.put(d.name(), d);
    }

    void removeDevice(NetDevice d) {
        devices.remove(d.name(), d);
    }

    /** One interface of {@code net:link}. */
    public record Link(int index, String name, String state, int mtu, String mac, int queues, String device,
            List<QueueStats> stats) {}

    @Descriptor("list network devices with per-queue counters, like ip -s link")
    public String link(@Descriptor("print JSON")
            @Parameter(names = {"-j", "--json"}, absentValue = "false", presentValue = "true") boolean json) {
        return format(links(null), json);
    }

    @Descriptor("show one network device with per-queue counters, like ip -s link show dev NAME")
    public String link(@Descriptor("print JSON")
            @Parameter(names = {"-j", "--json"}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("interface name, e.g. eth0") String name) {
        List<Link> l = links(name);
        if (l.isEmpty()) {
            return "Device \"" + name + "\" does not exist.";
        }
        return format(l, json);
    }

    List<Link> links(String only) {
        List<Link> out = new ArrayList<>();
        int index = 1;
        for (NetDevice d : devices.values()) {
            if (only == null || only.equals(d.name())) {
                out.add(new Link(index, d.name(), d.link().name(), d.mtu(), d.mac().toString(), d.queuePairs(),
                        d.parentDevice(), d.stats()));
            }
            index++;
        }
        return out;
    }

    static String format(List<Link> links, boolean json) {
        if (json) {
            return Json.write(links);
        }
        StringBuilder sb = new StringBuilder();
        for (Link l : links) {
            sb.append(l.index()).append(": ").append(l.name()).append(": <").append(l.state()).append("> mtu ")
                    .append(l.mtu()).append(" qpairs ").append(l.queues()).append(" parent ").append(l.device())
                    .append('\n');
            sb.append("    link/ether ").append(l.mac()).append('\n');
            Table t = new Table("    QUEUE", "RX_PACKETS", "RX_BYTES", "RX_DROPPED", "TX_PACKETS", "TX_BYTES",
                    "TX_DROPPED", "TX_BUSY");
            for (QueueStats s : l.stats()) {
                t.row("    " + s.queue(), s.rxFrames(), s.rxBytes(), s.rxDropped(), s.txFrames(), s.txBytes(),
                        s.txDropped(), s.txBusy());
            }
            sb.append(t);
        }
        return sb.toString();
    }
}
