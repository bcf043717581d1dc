package virtio.ring.internal;

import static virtio.spec.Virtq.VIRTQ_DESC_F_INDIRECT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_NEXT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_WRITE;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_FLAGS;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_F_NO_INTERRUPT;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_IDX;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_RING;
import static virtio.spec.VirtqSplit.VIRTQ_DESC_LEN;
import static virtio.spec.VirtqSplit.VIRTQ_DESC_SIZE;
import static virtio.spec.VirtqSplit.VIRTQ_USED_FLAGS;
import static virtio.spec.VirtqSplit.VIRTQ_USED_F_NO_NOTIFY;
import static virtio.spec.VirtqSplit.VIRTQ_USED_IDX;
import static virtio.spec.VirtqSplit.VIRTQ_USED_ELEM_SIZE;
import static virtio.spec.VirtqSplit.VIRTQ_USED_RING;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import virtio.ring.AddressSpace;
import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;
import virtio.ring.VirtqueueState;
import virtio.spec.VirtqSplit;

/** Device side of a split virtqueue (2.7). Indices are 16-bit values kept in ints. */
public final class SplitDevice extends DeviceBase {

    private final MemorySegment desc;
    private final MemorySegment avail;
    private final MemorySegment used;
    private final int mask;
    private final long usedEventOffset;
    private final long availEventOffset;

    private int lastAvail;
    /** The driver's avail idx as last read; ring entries up to it are known published. */
    private int seenAvail;
    private int usedIdx;
    private int publishedUsed;
    private int signalledUsed;

    public SplitDevice(AddressSpace space, int size, long features, long descAddr, long driverAddr,
            long deviceAddr, VirtqueueState.Split state, RingErrorCounter errors) {
        super(space, size, features, errors);
        boolean valid = VirtqSplit.isValidSize(size);
        desc = valid ? area(descAddr, VirtqSplit.descTableSize(size), AddressSpace.READ, VirtqSplit.VIRTQ_DESC_ALIGN) : null;
        avail = valid ? area(driverAddr, VirtqSplit.availRingSize(size), AddressSpace.READ, VirtqSplit.VIRTQ_AVAIL_ALIGN) : null;
        used = valid ? area(deviceAddr, VirtqSplit.usedRingSize(size), AddressSpace.WRITE, VirtqSplit.VIRTQ_USED_ALIGN) : null;
        mask = size - 1;
        usedEventOffset = VirtqSplit.usedEventOffset(size);
        availEventOffset = VirtqSplit.availEventOffset(size);
        lastAvail = state.lastAvailIdx();
        seenAvail = lastAvail;
        usedIdx = state.usedIdx();
        publishedUsed = usedIdx;
        signalledUsed = usedIdx;
        if (desc == null || avail == null || used == null) {
            fail(RingError.RING_ADDRESS_INVALID);
        }
    }

    @Override
    boolean take(Chain c) {
        MemorySegment avail = this.avail;
        int last = lastAvail;
        if (last == seenAvail) {
            // acquire: ring entries and descriptors are read only after the index that published them
            int idx = Mem.getAcquire16(avail, VIRTQ_AVAIL_IDX);
            if (((idx - last) & 0xffff) > size) {
                return fail(RingError.AVAIL_IDX_AHEAD);
            }
            if (idx == last) {
                // nothing new: no store either, so polling an empty ring leaves our cache lines clean
                return false;
            }
            seenAvail = idx;
        }
        int head = Mem.get16(avail, VIRTQ_AVAIL_RING + 2L * (last & mask));
        if (head >= size) {
            return fail(RingError.HEAD_OUT_OF_RANGE);
        }
        c.reset();
        RingError e = walk(c, head);
        if (e != null) {
            return fail(e);
        }
        c.id = head;
        lastAvail = (last + 1) & 0xffff;
        if (eventIdx && notifications) {
            // opaque: a hint the driver reads after its own fence; tells it which index to kick at next
            Mem.setOpaque16(used, availEventOffset, lastAvail);
        }
        return true;
    }

    /** Follows a chain in the descriptor table; each descriptor's fields are read once into locals. */
    private RingError walk(Chain c, int head) {
        MemorySegment desc = this.desc;
        int size = this.size;
        int i = head;
        for (int n = 1; ; n++) {
            if (n > size) {
                return RingError.CHAIN_TOO_LONG;
            }
            long o = (long) i * VIRTQ_DESC_SIZE;
            long addr = Mem.get64(desc, o);
            // len, flags and next in one read
            long tail = Mem.get64(desc, o + VIRTQ_DESC_LEN);
            int len = (int) tail;
            int flags = (int) (tail >>> 32) & 0xffff;
            int next = (int) (tail >>> 48);
            c.descCount = n;
            if ((flags & VIRTQ_DESC_F_INDIRECT) != 0) {
                RingError e = resolveTable(flags, addr, len, VIRTQ_DESC_F_NEXT);
                return e != null ? e : walkIndirect(c, Integer.toUnsignedLong(len) / VIRTQ_DESC_SIZE);
            }
            RingError e = c.append(resolver, addr, len, (flags & VIRTQ_DESC_F_WRITE) != 0);
            if (e != null) {
                return e;
            }
            if ((flags & VIRTQ_DESC_F_NEXT) == 0) {
                return null;
            }
            if (next >= size) {
                return RingError.NEXT_OUT_OF_RANGE;
            }
            i = next;
        }
    }

    /** Follows the chain inside an indirect table of {@code entries} descriptors, starting at entry 0. */
    private RingError walkIndirect(Chain c, long entries) {
        MemorySegment table = resolver.segment();
        long base = resolver.offset();
        long limit = Math.min(entries, size);
        int i = 0;
        for (int n = 1; ; n++) {
            if (n > limit) {
                return RingError.INDIRECT_CHAIN_TOO_LONG;
            }
            long o = base + (long) i * VIRTQ_DESC_SIZE;
            long addr = table.get(Mem.U64_UNALIGNED, o);
            // len, flags and next in one read
            long tail = table.get(Mem.U64_UNALIGNED, o + VIRTQ_DESC_LEN);
            int len = (int) tail;
            int flags = (int) (tail >>> 32) & 0xffff;
            int next = (int) (tail >>> 48);
            if ((flags & VIRTQ_DESC_F_INDIRECT) != 0) {
                return RingError.NESTED_INDIRECT;
            }
            RingError e = c.append(resolver, addr, len, (flags & VIRTQ_DESC_F_WRITE) != 0);
            if (e != null) {
                return e;
            }
            if ((flags & VIRTQ_DESC_F_NEXT) == 0) {
                return null;
            }
            if (next >= entries) {
                return RingError.NEXT_OUT_OF_RANGE;
            }
            i = next;
        }
    }

    @Override
    void writeUsed(int id, int writtenLength, int buffers, int descriptors) {
        int idx = usedIdx;
        // id and len in one store; the element is 4-aligned only
        long elem = VIRTQ_USED_RING + (long) VIRTQ_USED_ELEM_SIZE * (idx & mask);
        Mem.set64Unaligned(used, elem, Mem.usedElem(id, writtenLength));
        // an in-order batch moves the used idx by its size (2.7.9)
        usedIdx = (idx + buffers) & 0xffff;
    }

    @Override
    void doPublishUsed() {
        if (usedIdx != publishedUsed) {
            publishedUsed = usedIdx;
            // release: the used elements written before are visible before the index that publishes them
            Mem.setRelease16(used, VIRTQ_USED_IDX, usedIdx);
        }
    }

    @Override
    boolean doNeedsNotify() {
        int now = publishedUsed;
        int old = signalledUsed;
        if (now == old) {
            return false;
        }
        signalledUsed = now;
        return Events.splitWants(avail, eventIdx, usedEventOffset, VIRTQ_AVAIL_FLAGS, VIRTQ_AVAIL_F_NO_INTERRUPT, now, old);
    }

    @Override
    void doDisableNotifications() {
        if (eventIdx) {
            // opaque hint: an event one behind the last consumed entry is reached only 65535 entries on
            Mem.setOpaque16(used, availEventOffset, (lastAvail - 1) & 0xffff);
        } else {
            // opaque: a hint; the driver orders its read with its own fence
            Mem.setOpaque16(used, VIRTQ_USED_FLAGS, VIRTQ_USED_F_NO_NOTIFY);
        }
    }

    @Override
    boolean doEnableNotifications() {
        // opaque: untorn stores; the fence below orders them
        if (eventIdx) {
            Mem.setOpaque16(used, availEventOffset, lastAvail);
        } else {
            Mem.setOpaque16(used, VIRTQ_USED_FLAGS, 0);
        }
        // full fence: the flags/avail_event store must be visible before we re-read avail idx (store-load), or a kick is lost
        VarHandle.fullFence();
        return Mem.getOpaque16(avail, VIRTQ_AVAIL_IDX) != lastAvail;
    }

    @Override
    public VirtqueueState state() {
        return new VirtqueueState.Split(lastAvail, usedIdx);
    }
}
