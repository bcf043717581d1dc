package virtio.net.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import virtio.net.api.Ethernet;
import virtio.net.api.MacAddress;
import virtio.net.api.NetDevice;
import virtio.net.api.SendResult;

/**
 * A traffic generator on a NetDevice, after the kernel's pktgen: {@code count} frames of
 * {@code size} bytes to one destination MAC on one TX queue, at most {@code rate} frames a second,
 * on a thread of its own until done or stopped.
 *
 * <p>Each frame is the device's MAC as source, EtherType 0x88b5 (IEEE local experimental) and
 * pktgen's header: its magic 0xbe9be955 and the frame's sequence number, big endian. The frame is
 * built once; the loop only stamps the sequence number into it and sends it (the device copies it
 * before {@code send} returns), so nothing is allocated per frame.
 *
 * <p>Every frame is either sent or counted as dropped. Back-pressure ({@link SendResult#BUSY}) is
 * neither: the same frame is offered again after a short pause, and the pause is counted. A device
 * that answers {@link SendResult#DOWN} ends the run (that frame counts as dropped).
 */
final class PacketGenerator implements Runnable {

    /** What a run sends. {@code count} 0 sends until stopped; {@code rate} 0 as fast as the device takes frames. */
    record Params(long count, int size, MacAddress dst, int queue, long rate) {}

    /** Where a run stands. */
    enum State { RUNNING, DONE, STOPPED, DOWN }

    /** IEEE 802 local experimental EtherType 1: frames no stack will take for its own. */
    static final int ETHERTYPE = Ethernet.ETH_P_802_EX1;
    /** The kernel pktgen header's magic. */
    static final int PKTGEN_MAGIC = 0xbe9be955;
    /** The shortest frame: the kernel pktgen's default and the Ethernet minimum without FCS (ETH_ZLEN). */
    static final int MIN_SIZE = Ethernet.ETH_ZLEN;

    private static final int MAGIC_OFFSET = Ethernet.ETH_HLEN;
    private static final int SEQ_OFFSET = MAGIC_OFFSET + 4;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    /** Pause after BUSY: long enough for the device to use a buffer, short next to a frame at line rate. */
    private static final long BUSY_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** Waits longer than this park; shorter ones spin, a park being far less precise. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final NetDevice device;
    private final Params params;
    private final NetPort.Counters counters;
    private final MemorySegment frame;
    private final long sentBefore;
    private final long droppedBefore;
    private final long busyBefore;
    private volatile boolean stopping;
    private volatile State state = State.RUNNING;
    private volatile Thread thread;

    /**
     * @param counters the device's generator counters; this run adds to them
     * @throws IllegalArgumentException if the frame size does not fit the device (nothing started)
     */
    PacketGenerator(NetDevice device, Params params, NetPort.Counters counters) {
        if (params.size() < MIN_SIZE || params.size() > device.maxFrameLength()) {
            throw new IllegalArgumentException("invalid size " + params.size() + ": " + device.name() + " takes frames of "
                    + MIN_SIZE + ".." + device.maxFrameLength() + " bytes");
        }
        if (params.queue() < 0 || params.queue() >= device.queuePairs()) {
            throw new IllegalArgumentException("invalid queue " + params.queue() + ": " + device.name() + " has queues 0.."
                    + (device.queuePairs() - 1));
        }
        this.device = device;
        this.params = params;
        this.counters = counters;
        this.frame = MemorySegment.ofArray(new byte[params.size()]);
        MemorySegment.copy(params.dst().octets(), 0, frame, ValueLayout.JAVA_BYTE, 0, 6);
        MemorySegment.copy(device.mac().octets(), 0, frame, ValueLayout.JAVA_BYTE, 6, 6);
        frame.set(BE16, 12, (short) ETHERTYPE);
        frame.set(BE32, MAGIC_OFFSET, PKTGEN_MAGIC);
        this.sentBefore = counters.sent.get();
        this.droppedBefore = counters.dropped.get();
        this.busyBefore = counters.busy.get();
    }

    /** Starts the run on its own thread. */
    void start() {
        thread = Thread.ofPlatform().daemon().name("pktgen " + device.name()).start(this);
    }

    /** The run's loop; public only through {@link #start()} (and tests, which run it on their own thread). */
    @Override
    public void run() {
        long interval = params.rate() == 0 ? 0 : Math.max(1, TimeUnit.SECONDS.toNanos(1) / params.rate());
        long next = System.nanoTime();
        long done = 0;
        State end = State.DONE;
        while (params.count() == 0 || done < params.count()) {
            if (stopping) {
                end = State.STOPPED;
                break;
            }
            if (interval > 0) {
                pace(next);
            }
            frame.set(BE32, SEQ_OFFSET, (int) done);
            SendResult r = device.send(params.queue(), frame);
            if (r == SendResult.BUSY) {
                NetPort.add(counters.busy, 1);
                LockSupport.parkNanos(BUSY_PAUSE_NANOS);
                continue;
            }
            NetPort.add(r == SendResult.SENT ? counters.sent : counters.dropped, 1);
            done++;
            next += interval;
            if (r == SendResult.DOWN || r == SendResult.INVALID_LENGTH) {
                end = State.DOWN; // every later frame would fare the same
                break;
            }
        }
        state = end;
    }

    private void pace(long until) {
        for (long wait; (wait = until - System.nanoTime()) > 0; ) {
            if (stopping) {
                return;
            }
            if (wait > SPIN_NANOS) {
                LockSupport.parkNanos(wait - SPIN_NANOS / 2);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Asks the run to end and waits for it, at most {@code millis}; the frame in flight completes. */
    void stop(long millis) {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    State state() {
        return state;
    }

    Params params() {
        return params;
    }

    long sent() {
        return counters.sent.get() - sentBefore;
    }

    long dropped() {
        return counters.dropped.get() - droppedBefore;
    }

    long busy() {
        return counters.busy.get() - busyBefore;
    }
}
