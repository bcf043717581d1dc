package virtio.net.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import shell.format.Keywords;
import shell.format.Listing;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDevice;
import virtio.net.api.NetDeviceConstants;

/**
 * The {@code net:*} commands on every NetDevice: {@code net:link} (ip -s link), {@code net:pktgen}
 * (the kernel's pktgen) and {@code net:monitor} (tcpdump -e -c N). They return records (shell.format
 * listings, text or JSON with {@code -j}); a refusal throws one line naming what was wrong and
 * starts nothing.
 *
 * <p>{@code net:pktgen} does not block: it starts a run on its own thread and shows it;
 * {@code net:pktgen <dev> stop} ends it, {@code net:pktgen} shows every device's last run, and
 * {@code net:link} the counters of all runs. {@code net:monitor} blocks until it has its frames or
 * its time is up (Ctrl-C ends it early), then prints them.
 *
 * <p>Immediate: Gogo gets and ungets the service around each command, and a delayed component
 * would be disposed in between, with the generators it runs and the counters it keeps.
 */
@Component(service = NetCommands.class, immediate = true, property = {"osgi.command.scope=net", "osgi.command.function=link",
        "osgi.command.function=pktgen", "osgi.command.function=monitor"})
public final class NetCommands {

    static final List<String> PKTGEN_KEYS = List.of("count", "size", "dst", "queue", "rate");
    static final List<String> MONITOR_KEYS = List.of("count", "timeout");
    /** pktgen's defaults: the kernel's count and size; broadcast, so any receiver takes the frames. */
    static final long DEFAULT_COUNT = 1000;
    static final int DEFAULT_SIZE = PacketGenerator.MIN_SIZE;
    /** Bounds that keep a monitor's arrays and its wait sane. */
    static final int MONITOR_MAX_COUNT = 100_000;
    static final long MONITOR_MAX_SECONDS = 3_600;
    static final int MONITOR_DEFAULT_COUNT = 10;
    static final long MONITOR_DEFAULT_SECONDS = 10;

    private final Map<NetDevice, NetPort> ports = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(NetDevice d, Map<String, Object> properties) {
        // a device without an index (a driver that predates it) lists as 0
        int ifindex = properties.get(NetDeviceConstants.NET_IFINDEX) instanceof Integer i ? i : 0;
        ports.put(d, new NetPort(d, ifindex));
    }

    void removeDevice(NetDevice d) {
        NetPort p = ports.remove(d);
        if (p != null) {
            p.close();
        }
    }

    @Deactivate
    void deactivate() {
        ports.values().forEach(NetPort::close);
    }

    @Descriptor("list network devices with per-queue counters, like ip -s link")
    public Listing<NetListings.Link> link(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json) {
        return Listing.of(sorted().stream().map(NetListings::link).toList(), NetListings.LINKS).asJson(json);
    }

    @Descriptor("show one network device with per-queue counters, like ip -s link show dev NAME")
    public Listing<NetListings.Link> link(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("interface name, e.g. eth0") String name) {
        return Listing.of(List.of(NetListings.link(port(name))), NetListings.LINKS).asJson(json);
    }

    @Descriptor("traffic generator (the kernel's pktgen): pktgen [<dev> [count <n>] [size <bytes>] [dst <mac>] [queue <q>]"
            + " [rate <frames/s>]] | pktgen <dev> stop | pktgen <dev> show. Starts a run in the background and shows it;"
            + " count 0 runs until stopped, rate 0 as fast as the device takes frames; defaults count 1000 size 60"
            + " dst ff:ff:ff:ff:ff:ff queue 0 rate 0. Without arguments: every device's last run")
    public Listing<NetListings.Pktgen> pktgen(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("<dev> then start options, stop or show") String... args) {
        List<NetListings.Pktgen> rows = new ArrayList<>();
        if (args.length == 0) {
            for (NetPort p : sorted()) {
                PacketGenerator g = p.generator();
                if (g != null) {
                    rows.add(NetListings.pktgen(p, g));
                }
            }
            return Listing.of(rows, NetListings.PKTGEN).asJson(json);
        }
        NetPort port = port(args[0]);
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        PacketGenerator g;
        if (rest.equals(List.of("stop")) || rest.equals(List.of("show"))) {
            g = port.generator();
            if (g == null) {
                throw new IllegalArgumentException("no pktgen run on " + port.device.name());
            }
            if (rest.getFirst().equals("stop")) {
                g.stop(NetPort.STOP_MILLIS);
            }
        } else {
            g = port.startGenerator(pktgenParams(port.device, rest));
        }
        return Listing.of(List.of(NetListings.pktgen(port, g)), NetListings.PKTGEN).asJson(json);
    }

    @Descriptor("print the frames a network device receives, one line each like tcpdump -e: monitor <dev> [count <n>]"
            + " [timeout <seconds>]; waits for count frames (default 10, at most 100000) or timeout seconds (default 10,"
            + " at most 3600), whichever comes first")
    public Listing<NetListings.Frame> monitor(@Descriptor(Listing.JSON_HELP)
            @Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true") boolean json,
            @Descriptor("interface name, e.g. eth0") String name,
            @Descriptor("count <n> and timeout <seconds>") String... args) {
        NetPort port = port(name);
        Keywords a = Keywords.parse(Arrays.asList(args), MONITOR_KEYS);
        int count = (int) a.decimal("count", 1, MONITOR_MAX_COUNT, MONITOR_DEFAULT_COUNT);
        Duration timeout = Duration.ofSeconds(a.decimal("timeout", 1, MONITOR_MAX_SECONDS, MONITOR_DEFAULT_SECONDS));
        FrameMonitor m = new FrameMonitor(count, port.monitorSeen);
        port.claimMonitor(m);
        try {
            port.device.setTap(m);
            m.await(timeout);
        } finally {
            port.device.setTap(null);
            port.releaseMonitor(m);
        }
        return Listing.of(m.frames().stream().map(NetListings::frame).toList(), NetListings.FRAMES).asJson(json);
    }

    static PacketGenerator.Params pktgenParams(NetDevice d, List<String> words) {
        Keywords a = Keywords.parse(words, PKTGEN_KEYS);
        long count = a.decimal("count", 0, Long.MAX_VALUE / 2, DEFAULT_COUNT);
        int size = (int) a.decimal("size", PacketGenerator.MIN_SIZE, d.maxFrameLength(), DEFAULT_SIZE);
        MacAddress dst = a.get("dst") == null ? MacAddress.BROADCAST : MacAddress.parse(a.get("dst"));
        int queue = (int) a.decimal("queue", 0, d.queuePairs() - 1, 0);
        long rate = a.decimal("rate", 0, 1_000_000_000, 0);
        return new PacketGenerator.Params(count, size, dst, queue, rate);
    }

    private NetPort port(String name) {
        return ports.values().stream().filter(p -> p.device.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Device \"" + name + "\" does not exist."));
    }

    private List<NetPort> sorted() {
        List<NetPort> list = new ArrayList<>(ports.values());
        list.sort(Comparator.comparingInt((NetPort p) -> p.ifindex).thenComparing(p -> p.device.name()));
        return list;
    }
}
