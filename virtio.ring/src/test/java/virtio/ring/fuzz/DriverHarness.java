package virtio.ring.fuzz;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Set;
import virtio.ring.AddressSpace;
import virtio.ring.BufferChain;
import virtio.ring.DescriptorChain;
import virtio.ring.DeviceQueue;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;
import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtqPacked;
import virtio.spec.VirtqSplit;

/**
 * Runs a {@link DriverScript}: a real driver-side queue offers real buffers while a hostile device
 * writes whatever it likes into the ring (and an honest device sometimes serves), checking after
 * every step:
 * <ul>
 *   <li>nothing throws (any exception is a finding);</li>
 *   <li>every token taken back was outstanding, so none comes back twice or uninvited; with
 *       IN_ORDER they come back in the order they were added;</li>
 *   <li>a taken-back length never exceeds the writable bytes that buffer offered;</li>
 *   <li>the queue is broken exactly when one driver-side reason was counted since the last reset,
 *       and then takes nothing back and accepts nothing;</li>
 *   <li>nothing leaks: with nothing outstanding every descriptor is free and a buffer can be added;
 *       a reset hands back every outstanding token once and clears the fault.</li>
 * </ul>
 */
final class DriverHarness {

    static final long IOVA_BASE = 0x4000_0000L;
    private static final int BUFFERS = 6;
    private static final Set<RingError> DRIVER_REASONS = EnumSet.range(RingError.USED_ID_NOT_OUTSTANDING,
            RingError.USED_IDX_AHEAD);
    /** One pool for every input (tests run one at a time); each queue returns its rings on close. */
    private static final DmaPool POOL = DmaPool.create(1 << 20, IOVA_BASE);
    private static final DmaBuffer[] BUFFER = new DmaBuffer[BUFFERS];

    static {
        for (int i = 0; i < BUFFERS; i++) {
            BUFFER[i] = POOL.allocate(256, 8);
        }
    }

    /** A token the driver hands back; identity is what counts. */
    private record Token(int seq) {}

    /** What a run came to, for the seed tests. */
    record Outcome(int added, int taken, RingError broken) {}

    private final DriverScript script;
    private final boolean packed;
    private final int size;
    private final long features;
    private final RingErrorCounter errors = new RingErrorCounter("fuzz-driver");
    private final BufferChain chain = new BufferChain(BUFFERS);
    /** Outstanding tokens in the order added, with the writable bytes each offered. */
    private final LinkedHashMap<Token, Long> outstanding = new LinkedHashMap<>();
    private DriverQueue driver;
    private DeviceQueue device;
    private AddressSpace space;
    private long errorsAtReset;
    private int added;
    private int taken;
    private RingError lastBroken;

    private DriverHarness(DriverScript script, boolean packed) {
        this.script = script;
        this.packed = packed;
        this.size = packed ? script.sizeByte() + 1 : 1 << script.sizeByte() % 9;
        long f = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
        if (script.feature(0)) f |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_INDIRECT_DESC);
        if (script.feature(1)) f |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_EVENT_IDX);
        if (script.feature(2)) f |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_IN_ORDER);
        if (packed) f |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
        this.features = f;
    }

    static Outcome run(byte[] input, boolean packed) {
        return new DriverHarness(DriverScript.parse(input), packed).run();
    }

    private Outcome run() {
        driver = DriverQueue.create(POOL, size, features, script.indirectMax(), errors);
        try {
            for (DriverScript.Op op : script.ops()) {
                apply(op);
                checkBroken();
            }
            detach();
            return new Outcome(added, taken, lastBroken);
        } finally {
            driver.close();
        }
    }

    private void apply(DriverScript.Op op) {
        switch (op) {
            case DriverScript.Add a -> add(a);
            case DriverScript.Poke p -> poke(p);
            case DriverScript.Poll p -> poll(p.max(), p.drain());
            case DriverScript.Callbacks c -> {
                if (c.enable()) {
                    driver.enableCallbacks();
                } else {
                    driver.disableCallbacks();
                }
            }
            case DriverScript.Kick k -> {
                driver.kickPrepare();
                driver.notificationData(0);
            }
            case DriverScript.Device d -> serve(d.max(), d.writtenCap());
            case DriverScript.Detach d -> detach();
        }
    }

    private void add(DriverScript.Add a) {
        int n = Math.min(a.lengths().length, size);
        chain.clear();
        for (int i = 0; i < n; i++) {
            if (i < a.readable()) {
                chain.readable(BUFFER[i].iova(), a.lengths()[i]);
            } else {
                chain.writable(BUFFER[i].iova(), a.lengths()[i]);
            }
        }
        if (n == 0) {
            chain.writable(BUFFER[0].iova(), 1);
        }
        boolean idle = outstanding.isEmpty() && !driver.isBroken();
        if (idle) {
            Check.that(driver.freeDescriptors() == size, "nothing outstanding but %d of %d descriptors free",
                    driver.freeDescriptors(), size);
        }
        Token token = new Token(added);
        boolean ok = driver.add(chain, token);
        if (ok) {
            Check.that(!driver.isBroken(), "a broken queue accepted a buffer");
            outstanding.put(token, chain.writableBytes());
            added++;
        } else {
            Check.that(!idle, "an idle queue of %d refused a %d-element buffer", size, chain.count());
        }
        Check.that(driver.freeDescriptors() >= 0 && driver.freeDescriptors() <= size, "%d free descriptors of %d",
                driver.freeDescriptors(), size);
    }

    private void poke(DriverScript.Poke p) {
        long addr = switch (p.area()) {
            case DriverScript.DESCRIPTOR_AREA -> driver.descAddress();
            case DriverScript.DRIVER_AREA -> driver.driverAddress();
            default -> driver.deviceAddress();
        };
        long bytes = switch (p.area()) {
            case DriverScript.DESCRIPTOR_AREA -> 16L * size;
            case DriverScript.DRIVER_AREA -> packed ? VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE : VirtqSplit.availRingSize(size);
            default -> packed ? VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE : VirtqSplit.usedRingSize(size);
        };
        MemorySegment area = POOL.segment().asSlice(addr - IOVA_BASE, bytes);
        int at = (int) (p.offset() % bytes);
        int n = (int) Math.min(p.bytes().length, bytes - at);
        MemorySegment.copy(MemorySegment.ofArray(p.bytes()), 0, area, at, n);
    }

    private void poll(int max, boolean drain) {
        if (drain) {
            int[] calls = {0};
            int n = driver.drainUsed((t, len) -> {
                calls[0]++;
                takenBack(t, len);
            }, max == 0 ? size : max);
            Check.that(n == calls[0], "drainUsed said %d, handed out %d", n, calls[0]);
            return;
        }
        for (int i = 0; max == 0 || i < max; i++) {
            Object t = driver.pollUsed();
            if (t == null) {
                return;
            }
            takenBack(t, driver.lastUsedLength());
        }
    }

    private void takenBack(Object token, int length) {
        Check.that(token instanceof Token, "pollUsed returned %s", token);
        Long offered = outstanding.get(token);
        Check.that(offered != null, "%s came back but was not outstanding (twice, or never added)", token);
        if (VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_IN_ORDER)) {
            Token oldest = outstanding.keySet().iterator().next();
            Check.that(token == oldest, "IN_ORDER: %s came back before %s", token, oldest);
        }
        Check.that(Integer.toUnsignedLong(length) <= offered, "%s came back with %d bytes written of %d offered",
                token, Integer.toUnsignedLong(length), offered);
        outstanding.remove(token);
        taken++;
    }

    /** An honest device over the same memory; whatever the hostile device wrote may break it, which is fine. */
    private void serve(int max, int writtenCap) {
        if (device == null) {
            space = new AddressSpace();
            POOL.mapInto(space, AddressSpace.READ_WRITE);
            device = DeviceQueue.open(space, size, features, driver.descAddress(), driver.driverAddress(),
                    driver.deviceAddress());
        }
        for (int i = 0; max == 0 || i < max; i++) {
            DescriptorChain c = device.pop();
            if (c == null) {
                break;
            }
            device.returnUsed(c, (int) Math.min(c.writableBytes(), writtenCap));
            device.needsNotify();
        }
    }

    /** Reset: every outstanding token comes back exactly once, and the queue starts over. */
    private void detach() {
        for (int i = 0; i <= size; i++) {
            Object t = driver.detachUnused();
            if (t == null) {
                break;
            }
            Check.that(outstanding.remove(t) != null, "detachUnused returned %s, which was not outstanding", t);
        }
        Check.that(outstanding.isEmpty(), "detachUnused left %d buffers unreturned", outstanding.size());
        Check.that(!driver.isBroken(), "still broken after reset");
        Check.that(driver.freeDescriptors() == size, "after reset %d of %d descriptors free", driver.freeDescriptors(), size);
        errorsAtReset = errors.total();
        device = null;
    }

    private void checkBroken() {
        long since = errors.total() - errorsAtReset;
        RingError reason = driver.brokenReason();
        Check.that(since <= 1, "one queue counted %d refusals: %s", since, errors);
        Check.that(driver.isBroken() == (since == 1) && (reason == null) == (since == 0),
                "broken=%s reason=%s but counted %s", driver.isBroken(), reason, errors);
        if (reason != null) {
            lastBroken = reason;
            Check.that(DRIVER_REASONS.contains(reason), "driver side broke with %s", reason);
            Check.that(driver.pollUsed() == null, "a broken queue handed back a buffer");
        }
    }
}
