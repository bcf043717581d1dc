package virtio.net.internal;

import static shell.format.Table.column;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import shell.format.Layout;
import shell.format.Table;
import virtio.net.api.MacAddress;
import virtio.net.api.QueueStats;

/** What the {@code net:*} commands return, as records, and how each reads (shell.format prints it). */
final class NetListings {
    private NetListings() {}

    /** A traffic generator's counters on one device, all runs together. */
    record PktgenCounters(long sent, long dropped, long busy) {}

    /** A monitor's counter on one device, all runs together. */
    record MonitorCounters(long seen) {}

    /** One interface of {@code net:link}. */
    record Link(int index, String name, String state, int mtu, String mac, int queues, String device,
            List<QueueStats> stats, PktgenCounters pktgen, MonitorCounters monitor) {}

    /** One generator run of {@code net:pktgen}: what it was asked and how far it got. */
    record Pktgen(String device, String state, long count, int size, String dst, int queue, long rate, long sent,
            long dropped, long busy) {}

    /** One frame {@code net:monitor} saw; {@code time} is the local time of day, as tcpdump prints it. */
    record Frame(String time, String src, String dst, int ethertype, int length, int queue) {}

    private static final Table<QueueStats> QUEUES = Table.of(column("QUEUE", QueueStats::queue),
            column("RX_PACKETS", QueueStats::rxFrames), column("RX_BYTES", QueueStats::rxBytes),
            column("RX_DROPPED", QueueStats::rxDropped), column("TX_PACKETS", QueueStats::txFrames),
            column("TX_BYTES", QueueStats::txBytes), column("TX_DROPPED", QueueStats::txDropped),
            column("TX_BUSY", QueueStats::txBusy)).indent(4);

    /**
     * {@code ip -s link}'s shape:
     * <pre>
     * 1: eth0: &lt;UP&gt; mtu 1500 qpairs 2 parent virtio0
     *     link/ether 52:54:00:12:34:00
     *     QUEUE  RX_PACKETS  RX_BYTES  RX_DROPPED  TX_PACKETS  TX_BYTES  TX_DROPPED  TX_BUSY
     *     0      ...
     *     pktgen: sent 0 dropped 0 busy 0  monitor: seen 0
     * </pre>
     */
    static final Layout<Link> LINKS = records -> {
        StringBuilder sb = new StringBuilder();
        for (Link l : records) {
            sb.append(l.index()).append(": ").append(l.name()).append(": <").append(l.state()).append("> mtu ")
                    .append(l.mtu()).append(" qpairs ").append(l.queues()).append(" parent ").append(l.device()).append('\n');
            sb.append("    link/ether ").append(l.mac()).append('\n');
            sb.append(QUEUES.text(l.stats()));
            sb.append("    pktgen: sent ").append(l.pktgen().sent()).append(" dropped ").append(l.pktgen().dropped())
                    .append(" busy ").append(l.pktgen().busy()).append("  monitor: seen ").append(l.monitor().seen()).append('\n');
        }
        return sb.toString();
    };

    static final Table<Pktgen> PKTGEN = Table.of(column("DEVICE", Pktgen::device), column("STATE", Pktgen::state),
            column("COUNT", Pktgen::count), column("SIZE", Pktgen::size), column("DST", Pktgen::dst),
            column("QUEUE", Pktgen::queue), column("RATE", Pktgen::rate), column("SENT", Pktgen::sent),
            column("DROPPED", Pktgen::dropped), column("BUSY", Pktgen::busy));

    /** EtherTypes tcpdump names; others print as {@code Unknown}. */
    private static final Map<Integer, String> ETHERTYPES = Map.of(0x0800, "IPv4", 0x0806, "ARP", 0x86dd, "IPv6",
            0x8100, "802.1Q", 0x88cc, "LLDP");

    /** tcpdump {@code -e}'s line: {@code 12:34:56.789012 52:54:00:12:34:00 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 60}. */
    static final Layout<Frame> FRAMES = records -> {
        StringBuilder sb = new StringBuilder();
        for (Frame f : records) {
            sb.append(f.time()).append(' ').append(f.src()).append(" > ").append(f.dst()).append(", ethertype ")
                    .append(ETHERTYPES.getOrDefault(f.ethertype(), "Unknown"))
                    .append(String.format(Locale.ROOT, " (0x%04x)", f.ethertype())).append(", length ").append(f.length())
                    .append('\n');
        }
        return sb.toString();
    };

    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT);

    static Frame frame(FrameMonitor.Seen s) {
        Instant at = Instant.ofEpochSecond(s.micros() / 1_000_000, s.micros() % 1_000_000 * 1_000);
        return new Frame(TIME_OF_DAY.format(at.atZone(ZoneId.systemDefault())), new MacAddress(s.src()).toString(),
                new MacAddress(s.dst()).toString(), s.ethertype(), s.length(), s.queue());
    }

    static Pktgen pktgen(NetPort port, PacketGenerator g) {
        PacketGenerator.Params p = g.params();
        return new Pktgen(port.device.name(), g.state().name().toLowerCase(Locale.ROOT), p.count(), p.size(),
                p.dst().toString(), p.queue(), p.rate(), g.sent(), g.dropped(), g.busy());
    }

    static Link link(NetPort port) {
        var d = port.device;
        NetPort.Counters c = port.pktgen;
        return new Link(port.ifindex, d.name(), d.link().name(), d.mtu(), d.mac().toString(), d.queuePairs(), d.parentDevice(),
                d.stats(), new PktgenCounters(c.sent.get(), c.dropped.get(), c.busy.get()),
                new MonitorCounters(port.monitorSeen.get()));
    }
}
