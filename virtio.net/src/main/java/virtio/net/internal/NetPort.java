package virtio.net.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import virtio.net.api.NetDevice;

/**
 * One NetDevice as the {@code net:*} commands know it: its interface index, its traffic
 * generator and monitor (at most one of each at a time), and their counters since the device
 * appeared, which {@code net:link} shows.
 */
final class NetPort {

    /** How long a stop waits for a generator's thread: it never blocks, so this is generous. */
    static final long STOP_MILLIS = 2_000;

    /** A generator's counters: one writer at a time (the running generator), any number of readers. */
    static final class Counters {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong busy = new AtomicLong();
    }

    final NetDevice device;
    final int ifindex;
    final Counters pktgen = new Counters();
    /** Frames monitors recorded on this device; monitors on several queues count at once. */
    final AtomicLong monitorSeen = new AtomicLong();
    private final AtomicReference<PacketGenerator> generator = new AtomicReference<>();
    private final AtomicReference<FrameMonitor> monitor = new AtomicReference<>();

    NetPort(NetDevice device, int ifindex) {
        this.device = device;
        this.ifindex = ifindex;
    }

    /**
     * Adds to a counter that has a single writer: a release store, no read-modify-write (the
     * previous writer's last store happened before this one's first: see {@link #startGenerator}).
     */
    static void add(AtomicLong counter, long n) {
        counter.setRelease(counter.getPlain() + n);
    }

    /**
     * Starts a generator run with these parameters.
     *
     * @throws IllegalArgumentException if one is running, or the parameters do not fit the device
     */
    synchronized PacketGenerator startGenerator(PacketGenerator.Params params) {
        PacketGenerator last = generator.get();
        // reading its state (volatile, written after its last counter store) orders those stores before ours
        if (last != null && last.state() == PacketGenerator.State.RUNNING) {
            throw new IllegalArgumentException("pktgen is already running on " + device.name()
                    + " (net:pktgen " + device.name() + " stop)");
        }
        PacketGenerator g = new PacketGenerator(device, params, pktgen);
        generator.set(g);
        g.start();
        return g;
    }

    /** The last generator run, or null if none was started. */
    PacketGenerator generator() {
        return generator.get();
    }

    /** Installs {@code m} as the device's monitor, or refuses if one is running. */
    void claimMonitor(FrameMonitor m) {
        if (!monitor.compareAndSet(null, m)) {
            throw new IllegalArgumentException("a monitor is already running on " + device.name());
        }
    }

    void releaseMonitor(FrameMonitor m) {
        monitor.compareAndSet(m, null);
    }

    /** The device went away: its generator stops, its monitor returns what it has. */
    void close() {
        PacketGenerator g = generator.get();
        if (g != null) {
            g.stop(STOP_MILLIS);
        }
        FrameMonitor m = monitor.get();
        if (m != null) {
            m.cancel();
        }
    }
}
