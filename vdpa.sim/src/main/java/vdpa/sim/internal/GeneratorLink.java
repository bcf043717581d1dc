package vdpa.sim.internal;

import driver.core.BusException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import virtio.net.api.Ethernet;
import virtio.net.api.MacAddress;

/**
 * A traffic source on the wire, after the kernel's pktgen: frames of one size sent to the device
 * as fast as its receive queue takes them, and what the device sends counted and dropped (the
 * far end is a {@link Port#sink}). The sending end of a speed measurement.
 *
 * <p><b>The frames.</b> Broadcast (every receive filter passes it), from {@link #SOURCE_MAC},
 * EtherType {@link Ethernet#ETH_P_802_EX1}; from byte 14 on, when the frame has room, its
 * sequence number (32 bits, big endian), then zeros. The frame is built once; the loop stamps the
 * number and hands it to the device's receive FIFO of queue pair 0, which copies it. Nothing is
 * allocated per frame.
 *
 * <p><b>Back-pressure, not drops.</b> The thread ({@code vdpasim-gen-<device>}) offers a frame
 * only when the device's FIFO has room ({@link Port#admits}) and the device receives at all
 * ({@link Port#receivingOrWait}); otherwise it parks until the device's worker frees a slot (its
 * driver posted RX buffers) or the device becomes live, and counts the wait once. So every frame
 * generated reaches the device's receive path, and the device's own counters (rx_frames, its
 * drops) account for each one. It wakes the device's worker every {@link #WAKE_BATCH} frames and
 * before each wait. With a count, it stops after that many frames; detaching stops it.
 *
 * <p>Counters ({@code vdpasim:show}): {@code generator_frames}, {@code generator_bytes} (handed
 * to the device), {@code generator_wait_buffer}, {@code generator_wait_ready} (waits), and the
 * sink's {@code sink_frames}, {@code sink_bytes}. The thread publishes its counts every
 * {@link #WAKE_BATCH} frames, before each wait and when it ends, so they are exact whenever the
 * generator is waiting or done.
 */
final class GeneratorLink implements Link {

    /** The generator's source address: locally administered, unicast. */
    static final MacAddress SOURCE_MAC = MacAddress.parse("02:67:65:6e:00:01");
    /** Frames handed over between two wake-ups of the device's worker (and counter publications). */
    static final int WAKE_BATCH = 32;
    /** A park's upper bound: only a lost wake-up would need it, and none is lost. */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long a detach waits for the thread. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final int SEQ_OFFSET = Ethernet.ETH_HLEN;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final System.Logger LOG = System.getLogger("vdpa.sim");

    private final LinkSpec.Generator spec;
    private final ThreadFactory threads;
    private final QueueStats counters = new QueueStats();
    private final Port end;
    private final MemorySegment frame;
    /** The device plugged in and the thread sending to it; guarded by this. */
    private Port device;
    private Thread thread;
    private volatile boolean stopped;

    /**
     * A generator for {@code port}'s device.
     *
     * @throws BusException if its frames are longer than the device takes
     */
    static GeneratorLink open(LinkSpec.Generator spec, Port port) throws BusException {
        return open(spec, port, r -> Thread.ofPlatform().name("vdpasim-gen-" + port.owner()).daemon().unstarted(r));
    }

    /** As {@link #open(LinkSpec.Generator, Port)}, its thread made by {@code threads}. */
    static GeneratorLink open(LinkSpec.Generator spec, Port port, ThreadFactory threads) throws BusException {
        if (spec.size() > port.maxFrame()) {
            throw new BusException(spec + ": frames of " + spec.size() + " bytes are longer than " + port.owner()
                    + " takes (" + port.maxFrame() + " bytes: its MTU and the Ethernet header)");
        }
        return new GeneratorLink(spec, threads);
    }

    private GeneratorLink(LinkSpec.Generator spec, ThreadFactory threads) {
        this.spec = spec;
        this.threads = threads;
        this.end = Port.sink(spec.toString(), counters);
        this.frame = MemorySegment.ofArray(new byte[spec.size()]);
        MemorySegment.copy(MacAddress.BROADCAST.octets(), 0, frame, ValueLayout.JAVA_BYTE, 0, 6);
        MemorySegment.copy(SOURCE_MAC.octets(), 0, frame, ValueLayout.JAVA_BYTE, 6, 6);
        frame.set(BE16, 12, (short) Ethernet.ETH_P_802_EX1);
    }

    @Override
    public String spec() {
        return spec.toString();
    }

    @Override
    public synchronized void attach(Port port) throws BusException {
        if (device != null) {
            throw new BusException(spec + " already feeds " + device.owner());
        }
        if (stopped) {
            throw new BusException(spec + " was stopped");
        }
        device = port;
        port.connect(end);
        thread = threads.newThread(() -> run(port));
        thread.start();
    }

    /** Unplugs the device and stops the thread, waiting for it (bounded). */
    @Override
    public void detach(Port port) {
        Thread t;
        synchronized (this) {
            if (device != port) {
                return;
            }
            stopped = true;
            port.connect(null);
            device = null;
            t = thread;
        }
        LockSupport.unpark(t);
        if (t != Thread.currentThread()) {
            try {
                if (!t.join(STOP_WAIT)) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: the generator thread did not stop within {1} s", spec,
                            STOP_WAIT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the thread is still sending (or waiting to): false once a count is done or it was stopped. */
    synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = counters.snapshot(Stat.Role.GENERATOR);
        m.putAll(counters.snapshot(Stat.Role.SINK));
        return m;
    }

    /** The thread's loop: see the class comment. */
    private void run(Port d) {
        Thread self = Thread.currentThread();
        Runnable wake = () -> LockSupport.unpark(self);
        long limit = spec.count() == 0 ? Long.MAX_VALUE : spec.count();
        int size = spec.size();
        boolean stamp = size >= SEQ_OFFSET + Integer.BYTES;
        long made = 0;
        int unwoken = 0;
        boolean waitingReady = false;
        boolean waitingRoom = false;
        while (!stopped && made < limit) {
            if (!d.receivingOrWait(wake)) {
                waitingReady = await(d, unwoken, waitingReady, Stat.GENERATOR_WAIT_READY);
                unwoken = 0;
                continue;
            }
            waitingReady = false;
            if (stamp) {
                frame.set(BE32, SEQ_OFFSET, (int) made);
            }
            // a refused delivery (room gone since admits, which only a relink could do) waits like no room
            if (!d.admits(0, wake) || !d.deliver(0, frame, size)) {
                waitingRoom = await(d, unwoken, waitingRoom, Stat.GENERATOR_WAIT_BUFFER);
                unwoken = 0;
                continue;
            }
            waitingRoom = false;
            made++;
            if (++unwoken == WAKE_BATCH) {
                unwoken = flush(d, unwoken);
            }
        }
        flush(d, unwoken);
    }

    /**
     * One wait of the loop: publishes what was sent, counts the wait once ({@code counted} says it
     * was already), parks until woken or {@code PARK_NANOS}; returns true (the wait is counted).
     */
    private boolean await(Port d, int unwoken, boolean counted, Stat stat) {
        flush(d, unwoken);
        if (!counted) {
            counters.inc(stat);
        }
        LockSupport.parkNanos(this, PARK_NANOS);
        return true;
    }

    /** Publishes {@code frames} more frames and wakes the device's worker for them; returns 0. */
    private int flush(Port d, int frames) {
        if (frames > 0) {
            counters.add(Stat.GENERATOR_FRAMES, frames);
            counters.add(Stat.GENERATOR_BYTES, (long) frames * spec.size());
            d.wake();
        }
        return 0;
    }
}
