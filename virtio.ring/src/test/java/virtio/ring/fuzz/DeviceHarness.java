package virtio.ring.fuzz;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Set;
import virtio.ring.AddressSpace;
import virtio.ring.DescriptorChain;
import virtio.ring.DeviceQueue;
import virtio.ring.DmaPool;
import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;
import virtio.ring.VirtqueueState;
import virtio.spec.VirtioFeatures;

/**
 * Runs a {@link DeviceScript} against a real device-side queue over raw memory a hostile driver
 * writes, checking after every step:
 * <ul>
 *   <li>nothing throws (any exception is a finding);</li>
 *   <li>no loop: one serve, with no driver write in between, pops at most queue-size chains;</li>
 *   <li>every part of a popped chain is non-empty and lies in one current mapping that grants the
 *       part's direction (READ for readable, WRITE for writable), per the harness's own model;</li>
 *   <li>a chain's bytes add up to its parts and to at most 4 GiB; its id and descriptor count are in range;</li>
 *   <li>serving changes no buffer byte outside every writable mapping;</li>
 *   <li>the queue is broken exactly when one device-side reason was counted (never MEMORY_FAULT: the
 *       memory stays), and a broken queue pops nothing;</li>
 *   <li>the address space lists what was mapped and unmapped; a migrated state reads back unchanged.</li>
 * </ul>
 * Readable-before-writable needs no oracle here: a chain exposes its two directions separately, so
 * a violation can only show as a refusal, which the unit tests pin.
 */
final class DeviceHarness {

    static final long RING_IOVA = 0x10_0000L;
    /** Where the seeds map the data area; the fuzzer may map it anywhere. */
    static final long DATA_IOVA = 0x20_0000L;
    static final int RING_AREA = 0x2000;
    static final int DRIVER_AREA = 0x1000;
    static final int DEVICE_AREA = 0x1400;
    static final int DATA_SIZE = 0xE000;
    /** Bytes the device reads and writes per chain: enough to touch every part of small chains. */
    private static final int TOUCH = 512;

    private static final Set<RingError> DEVICE_REASONS = EnumSet.range(RingError.RING_ADDRESS_INVALID,
            RingError.PACKED_ID_OUT_OF_RANGE);
    /** One pool for every input (tests run one at a time): the ring area, then the data area. */
    private static final DmaPool POOL = DmaPool.create(RING_AREA + DATA_SIZE, RING_IOVA);

    /** What a run came to, for the seed tests. */
    record Outcome(int served, RingError broken) {}

    private final DeviceScript script;
    private final boolean packed;
    private final int size;
    private final long features;
    private final MemorySegment mem = POOL.segment();
    private final MemorySegment data = mem.asSlice(RING_AREA, DATA_SIZE);
    private final MemorySegment before = MemorySegment.ofArray(new byte[DATA_SIZE]);
    private final MemorySegment scratch = MemorySegment.ofArray(new byte[TOUCH]);
    private final AddressSpace space = new AddressSpace();
    private final AddressModel model = new AddressModel();
    private DeviceQueue queue;
    private RingErrorCounter errors;
    private int served;
    private final int[] ids;
    private final int[] lengths;

    private DeviceHarness(DeviceScript script, boolean packed) {
        this.script = script;
        this.packed = packed;
        this.size = packed ? script.sizeByte() + 1 : 1 << script.sizeByte() % 9;
        long f = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
        if (script.feature(0)) f |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_INDIRECT_DESC);
        if (script.feature(1)) f |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_EVENT_IDX);
        if (script.feature(2)) f |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_IN_ORDER);
        if (packed) f |= VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
        this.features = f;
        this.ids = new int[size];
        this.lengths = new int[size];
        for (int i = 0; i < TOUCH; i++) {
            scratch.set(ValueLayout.JAVA_BYTE, i, (byte) (0xA5 ^ i));
        }
    }

    static Outcome run(byte[] input, boolean packed) {
        return new DeviceHarness(DeviceScript.parse(input), packed).run();
    }

    private Outcome run() {
        mem.fill((byte) 0);
        MemorySegment ring = mem.asSlice(0, RING_AREA);
        space.map(RING_IOVA, ring, script.ringPermission());
        model.mapped(RING_IOVA, ring, script.ringPermission());
        VirtqueueState state = packed
                ? new VirtqueueState.Packed(script.stateA() % size, !script.feature(3), script.stateB() % size,
                        !script.feature(4))
                : new VirtqueueState.Split(script.stateA(), script.stateB());
        open(state);
        for (DeviceScript.Op op : script.ops()) {
            apply(op);
            checkBroken();
        }
        serve(false, 0xffff);
        checkBroken();
        return new Outcome(served, queue.brokenReason());
    }

    private void open(VirtqueueState state) {
        errors = new RingErrorCounter(packed ? "fuzz-packed" : "fuzz-split");
        queue = DeviceQueue.open(space, size, features, RING_IOVA, RING_IOVA + DRIVER_AREA, RING_IOVA + DEVICE_AREA,
                state, errors);
    }

    private void apply(DeviceScript.Op op) {
        switch (op) {
            case DeviceScript.Poke p -> poke(p.ring() ? mem.asSlice(0, RING_AREA) : data, p.offset(), p.bytes());
            case DeviceScript.MapData m -> map(m);
            case DeviceScript.Unmap u -> {
                space.unmap(u.iova(), u.size());
                model.unmapped(u.iova(), u.size());
                model.checkAgainst(space);
            }
            case DeviceScript.Serve s -> serve(s.deferReturns(), s.writtenCap());
            case DeviceScript.Notify n -> {
                if (n.enable()) {
                    queue.enableNotifications();
                } else {
                    queue.disableNotifications();
                }
            }
            case DeviceScript.Migrate m -> migrate();
        }
    }

    private static void poke(MemorySegment area, int offset, byte[] bytes) {
        int at = offset % (int) area.byteSize();
        int n = (int) Math.min(bytes.length, area.byteSize() - at);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, area, at, n);
    }

    private void map(DeviceScript.MapData m) {
        int off = m.dataOffset() % DATA_SIZE;
        MemorySegment region = data.asSlice(off, 1 + m.length() % (DATA_SIZE - off));
        try {
            space.map(m.iova(), region, m.permission());
        } catch (IllegalArgumentException overlapOrWrap) {
            // the harness asked for something the address space refuses: not the ring's concern
            return;
        }
        model.mapped(m.iova(), region, m.permission());
        model.checkAgainst(space);
    }

    /** Pops until nothing is available, checking each chain; returns them one by one or all at the end. */
    private void serve(boolean deferReturns, int writtenCap) {
        MemorySegment.copy(data, 0, before, 0, DATA_SIZE);
        int pops = 0;
        for (DescriptorChain c; (c = queue.pop()) != null; ) {
            pops++;
            Check.that(pops <= size, "%d chains popped from a ring of %d with no driver write between: a loop", pops, size);
            checkChain(c);
            c.copyFromReadable(0, scratch, 0, Math.min(TOUCH, c.readableBytes()));
            c.copyToWritable(0, scratch, 0, Math.min(TOUCH, c.writableBytes()));
            int written = (int) Math.min(c.writableBytes(), writtenCap);
            if (deferReturns) {
                ids[pops - 1] = c.id();
                lengths[pops - 1] = written;
            } else {
                queue.returnUsed(c, written);
                queue.needsNotify();
            }
        }
        if (deferReturns && pops > 0) {
            for (int i = 0; i < pops; i++) {
                queue.pushUsed(ids[i], lengths[i]);
            }
            queue.publishUsed();
            queue.needsNotify();
        }
        served += pops;
        checkUnwrittenOutsideWritableMappings();
    }

    private void checkChain(DescriptorChain c) {
        Check.that(c.id() >= 0 && c.id() < size, "chain id %d, queue size %d", c.id(), size);
        Check.that(c.descriptorCount() >= 1 && c.descriptorCount() <= size, "chain took %d ring descriptors of %d",
                c.descriptorCount(), size);
        long readable = 0;
        for (int i = 0; i < c.readableCount(); i++) {
            readable += checkPart(c.readableSegment(i), c.readableOffset(i), c.readableLength(i), AddressSpace.READ);
        }
        long writable = 0;
        for (int i = 0; i < c.writableCount(); i++) {
            writable += checkPart(c.writableSegment(i), c.writableOffset(i), c.writableLength(i), AddressSpace.WRITE);
        }
        Check.that(readable == c.readableBytes() && writable == c.writableBytes(),
                "parts add up to %d/%d bytes, chain says %d/%d", readable, writable, c.readableBytes(), c.writableBytes());
        Check.that(readable + writable <= 1L << 32, "chain of %d bytes exceeds 4 GiB", readable + writable);
    }

    private long checkPart(MemorySegment segment, long offset, long length, int permission) {
        Check.that(length > 0 && offset >= 0 && offset + length <= segment.byteSize(),
                "part [%d, +%d) of a %d-byte segment", offset, length, segment.byteSize());
        Check.that(model.covers(segment.address() + offset, length, permission),
                "part at host 0x%x, %d bytes, is not inside a mapping with permission %d",
                segment.address() + offset, length, permission);
        return length;
    }

    /** Buffer memory that no writable mapping covers must be as it was before the serve. */
    private void checkUnwrittenOutsideWritableMappings() {
        long from = 0;
        while (from < DATA_SIZE) {
            // mismatch gives the offset relative to from, or -1
            long rel = MemorySegment.mismatch(before, from, DATA_SIZE, data, from, DATA_SIZE);
            if (rel < 0) {
                return;
            }
            long at = from + rel;
            Check.that(model.covers(data.address() + at, 1, AddressSpace.WRITE),
                    "serving changed data byte at 0x%x, which no writable mapping covers", at);
            from = at + 1;
        }
    }

    private void checkBroken() {
        long total = errors.total();
        RingError reason = queue.brokenReason();
        Check.that(total <= 1, "one queue counted %d refusals: %s", total, errors);
        Check.that(queue.isBroken() == (total == 1) && (reason == null) == (total == 0),
                "broken=%s reason=%s but counted %s", queue.isBroken(), reason, errors);
        if (reason != null) {
            Check.that(errors.count(reason) == 1, "reason %s not the one counted: %s", reason, errors);
            Check.that(DEVICE_REASONS.contains(reason), "device side broke with %s", reason);
            Check.that(queue.pop() == null, "a broken queue popped a chain");
        }
    }

    /** Moves the queue to a fresh instance through its state, as vDPA get/set_vq_state does. */
    private void migrate() {
        if (queue.isBroken()) {
            return;
        }
        queue.publishUsed();
        VirtqueueState state = queue.state();
        open(state);
        Check.that(queue.isBroken() || queue.state().equals(state), "state %s read back as %s", state, queue.state());
    }
}
