package bench.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import bench.report.LineResults;
import virtio.net.api.NetDevice;

/**
 * Hot plug and scale in the embedded Felix ({@link EmbeddedBusbar}), a plain harness (not JMH:
 * each measurement is one state change, timed from the call that causes it to the service event
 * that ends it). Prints {@link LineResults} lines for the report.
 *
 * <ul>
 *   <li><b>Bundle start.</b> One simulated device; the virtio.net bundle is stopped and started
 *       {@code --cycles} times (after {@code --warmup} unrecorded ones). {@code HotPlug.bundleStart}
 *       is the time from {@code Bundle.start()} to the NetDevice's registration, split into
 *       {@code HotPlug.startToDriver} (to the virtio_net driver service's registration: DS) and
 *       {@code HotPlug.driverToNetDevice} (the virtio bus matching and the probe; the driver's time
 *       is when this harness's listener heard of it, which the framework tells after older
 *       listeners, the bus's among them, and is capped at the NetDevice's);
 *       {@code HotPlug.bundleStop} from {@code Bundle.stop()} to the NetDevice's departure.</li>
 *   <li><b>Scale.</b> {@code --devices} factory configurations of {@code vdpa.sim.net}, unplugged
 *       (idle: no link, no traffic), created one after another; {@code Scale.bind} is the time from
 *       the first creation to the last NetDevice's registration ({@code Scale.vdpaRegistered},
 *       {@code Scale.virtioRegistered}: the layers below; {@code Scale.bindCpuPerDevice}: CPU time of
 *       the whole process per device meanwhile, which a loaded machine does not inflate). Platform threads, heap after GC and
 *       resident memory are measured before and with the devices ({@code Scale.threadsPerDevice},
 *       {@code heapPerDevice}, {@code residentPerDevice}); then every configuration is deleted and
 *       {@code Scale.remove} is the time until the last vDPA device left (and
 *       {@code removeCpuPerDevice}), and {@code Scale.threadsLeftAfterRemoval} counts the platform
 *       threads started during the round and still alive after it. {@code --rounds} times.</li>
 * </ul>
 *
 * Usage: {@code java -cp benchmarks.jar bench.net.HotPlug [--cycles 200] [--warmup 20] [--devices 1000] [--rounds 3]}
 * (0 cycles or 0 rounds skips that part).
 */
public final class HotPlug {

    static final String VDPA_DEVICE = "vdpa.bus.VdpaDevice";
    static final String VIRTIO_DEVICE = "virtio.bus.VirtioDevice";
    static final String VIRTIO_DRIVER = "virtio.bus.VirtioDriver";
    static final String VIRTIO_NET_BUNDLE = "virtio.net";
    private static final Duration STEP_WAIT = Duration.ofSeconds(30);
    /** How long idle devices are left before their resources are measured, so start-up work is over. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private HotPlug() {
    }

    record Options(int cycles, int warmup, int devices, int rounds) {
        static Options parse(String[] args) {
            Map<String, Integer> v = new LinkedHashMap<>(Map.of("--cycles", 200, "--warmup", 20, "--devices", 1000,
                    "--rounds", 3));
            for (int i = 0; i < args.length; i++) {
                if (!v.containsKey(args[i]) || i + 1 == args.length) {
                    throw new IllegalArgumentException("usage: HotPlug [--cycles N] [--warmup N] [--devices N] [--rounds N];"
                            + " not understood: " + args[i]);
                }
                int n = Integer.parseInt(args[++i]);
                if (n < 0) {
                    throw new IllegalArgumentException(args[i - 1] + " " + n + ": not a count");
                }
                v.put(args[i - 1], n);
            }
            return new Options(v.get("--cycles"), v.get("--warmup"), v.get("--devices"), v.get("--rounds"));
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        // a line per device created would drown the results: only warnings and errors
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        List<String> lines = new ArrayList<>();
        try (EmbeddedBusbar busbar = EmbeddedBusbar.start()) {
            System.out.println("# " + busbar);
            if (o.cycles() > 0) {
                lines.addAll(bundleCycles(busbar, o.cycles(), o.warmup()));
            }
            if (o.rounds() > 0 && o.devices() > 0) {
                lines.addAll(scale(busbar, o.devices(), o.rounds()));
            }
        }
        lines.forEach(System.out::println);
    }

    /** Bundle stop/start cycles over one device; the result lines. */
    static List<String> bundleCycles(EmbeddedBusbar busbar, int cycles, int warmup) throws Exception {
        BundleContext ctx = busbar.context();
        Object config = busbar.createSimNet("hotplug0", "52:54:00:4b:00:00", 1, null);
        busbar.awaitNetDevice("52:54:00:4b:00:00", STEP_WAIT, false);
        Bundle driver = busbar.bundle(VIRTIO_NET_BUNDLE);
        double[] total = new double[cycles];
        double[] toDriver = new double[cycles];
        double[] probe = new double[cycles];
        double[] stop = new double[cycles];
        try (ServiceWatch nets = new ServiceWatch(ctx, NetDevice.class.getName(), null);
                ServiceWatch drivers = new ServiceWatch(ctx, VIRTIO_DRIVER, "(driver.name=virtio_net)")) {
            for (int i = -warmup; i < cycles; i++) {
                nets.reset();
                drivers.reset();
                long t0 = System.nanoTime();
                driver.stop();
                long gone = nets.awaitUnregistered(1, STEP_WAIT);
                nets.reset();
                long t1 = System.nanoTime();
                driver.start();
                long up = nets.awaitRegistered(1, STEP_WAIT);
                // Felix tells listeners one after another, the bus (older) before this one: a probe
                // the bus finished while the framework was still telling the others would put the
                // driver's event here after the NetDevice's, so the driver's time is capped at it
                long registered = Math.min(drivers.awaitRegistered(1, STEP_WAIT), up);
                if (i >= 0) {
                    stop[i] = millis(gone - t0);
                    total[i] = millis(up - t1);
                    toDriver[i] = millis(registered - t1);
                    probe[i] = millis(up - registered);
                }
            }
        }
        try (ServiceWatch device = new ServiceWatch(ctx, VDPA_DEVICE, "(vdpa.name=hotplug0)")) {
            busbar.deleteConfiguration(config);
            device.awaitUnregistered(1, STEP_WAIT);
        }
        Map<String, String> p = Map.of("devices", "1");
        return List.of(LineResults.format("HotPlug.bundleStart", p, true, "ms", total),
                LineResults.format("HotPlug.startToDriver", p, true, "ms", toDriver),
                LineResults.format("HotPlug.driverToNetDevice", p, true, "ms", probe),
                LineResults.format("HotPlug.bundleStop", p, true, "ms", stop));
    }

    /** {@code rounds} of creating and deleting {@code n} idle devices; the result lines. */
    static List<String> scale(EmbeddedBusbar busbar, int n, int rounds) throws Exception {
        BundleContext ctx = busbar.context();
        double[] bind = new double[rounds];
        double[] bindCpu = new double[rounds];
        double[] removeCpu = new double[rounds];
        double[] vdpa = new double[rounds];
        double[] virtio = new double[rounds];
        double[] remove = new double[rounds];
        double[] threads = new double[rounds];
        double[] heap = new double[rounds];
        double[] resident = new double[rounds];
        double[] left = new double[rounds];
        try (ServiceWatch vdpas = new ServiceWatch(ctx, VDPA_DEVICE, "(vdpa.name=scale*)");
                ServiceWatch virtios = new ServiceWatch(ctx, VIRTIO_DEVICE, null);
                ServiceWatch nets = new ServiceWatch(ctx, NetDevice.class.getName(), null)) {
            for (int r = 0; r < rounds; r++) {
                vdpas.reset();
                virtios.reset();
                nets.reset();
                ResourceUse before = ResourceUse.now();
                List<Object> configs = new ArrayList<>(n);
                long c0 = ResourceUse.cpuNanos();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    configs.add(busbar.createSimNet("scale" + i, mac(i), 1, null));
                }
                Duration wait = STEP_WAIT.plusMillis(20L * n);
                vdpa[r] = millis(vdpas.awaitRegistered(n, wait) - t0);
                virtio[r] = millis(virtios.awaitRegistered(n, wait) - t0);
                bind[r] = millis(nets.awaitRegistered(n, wait) - t0);
                bindCpu[r] = millis(ResourceUse.cpuNanos() - c0) / n;
                Thread.sleep(SETTLE);
                ResourceUse with = ResourceUse.now();
                threads[r] = (with.threads() - before.threads()) / (double) n;
                heap[r] = (with.heapBytes() - before.heapBytes()) / 1024.0 / n;
                resident[r] = (with.residentBytes() - before.residentBytes()) / 1024.0 / n;
                long c1 = ResourceUse.cpuNanos();
                long t1 = System.nanoTime();
                for (Object c : configs) {
                    busbar.deleteConfiguration(c);
                }
                nets.awaitUnregistered(n, wait);
                remove[r] = millis(vdpas.awaitUnregistered(n, wait) - t1);
                removeCpu[r] = millis(ResourceUse.cpuNanos() - c1) / n;
                Thread.sleep(SETTLE);
                ResourceUse after = ResourceUse.now();
                List<String> started = after.threadsStartedSince(before);
                left[r] = started.size();
                System.out.printf(Locale.ROOT, "# scale round %d, %d devices: before %s; with them %s; after removal %s%s%n",
                        r, n, before, with, after, started.isEmpty() ? "" : "; left behind: " + started);
            }
        }
        Map<String, String> p = Map.of("devices", String.valueOf(n));
        return List.of(LineResults.format("Scale.bind", p, false, "ms", bind),
                LineResults.format("Scale.vdpaRegistered", p, false, "ms", vdpa),
                LineResults.format("Scale.virtioRegistered", p, false, "ms", virtio),
                LineResults.format("Scale.bindCpuPerDevice", p, false, "ms", bindCpu),
                LineResults.format("Scale.remove", p, false, "ms", remove),
                LineResults.format("Scale.removeCpuPerDevice", p, false, "ms", removeCpu),
                LineResults.format("Scale.threadsPerDevice", p, false, "threads", threads),
                LineResults.format("Scale.threadsLeftAfterRemoval", p, false, "threads", left),
                LineResults.format("Scale.heapPerDevice", p, false, "KiB", heap),
                LineResults.format("Scale.residentPerDevice", p, false, "KiB", resident));
    }

    /** A locally administered unicast MAC per device index. */
    static String mac(int i) {
        return String.format(Locale.ROOT, "52:54:00:5c:%02x:%02x", (i >> 8) & 0xff, i & 0xff);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
