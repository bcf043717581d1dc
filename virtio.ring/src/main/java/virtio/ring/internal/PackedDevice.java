package virtio.ring.internal;

import static virtio.spec.Virtq.VIRTQ_DESC_F_INDIRECT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_NEXT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_WRITE;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_ALIGN;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_FLAGS;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_ID;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_LEN;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_SIZE;
import static virtio.spec.VirtqPacked.PVIRTQ_EVENT_SUPPRESS_ALIGN;
import static virtio.spec.VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE;
import static virtio.spec.VirtqPacked.RING_EVENT_FLAGS_DESC;
import static virtio.spec.VirtqPacked.RING_EVENT_FLAGS_DISABLE;
import static virtio.spec.VirtqPacked.RING_EVENT_FLAGS_ENABLE;
import static virtio.spec.VirtqPacked.VIRTQ_DESC_F_AVAIL;
import static virtio.spec.VirtqPacked.VIRTQ_DESC_F_USED;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import virtio.ring.AddressSpace;
import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;
import virtio.ring.VirtqueueState;
import virtio.spec.VirtqPacked;

/** Device side of a packed virtqueue (2.8). */
public final class PackedDevice extends DeviceBase {

    private final MemorySegment ring;
    private final MemorySegment driverEvent;
    private final MemorySegment deviceEvent;

    private int availPos;
    private boolean availWrap;
    private int usedPos;
    private boolean usedWrap;
    /** Used descriptors pushed but not published: the first one's flags are held back. */
    private int pending;
    private int pendingDescs;
    private long firstOffset;
    private int firstFlags;
    /** Ring descriptors published as used since the last notification decision. */
    private int sinceSignal;

    public PackedDevice(AddressSpace space, int size, long features, long descAddr, long driverAddr,
            long deviceAddr, VirtqueueState.Packed state, RingErrorCounter errors) {
        super(space, size, features, errors);
        boolean valid = VirtqPacked.isValidSize(size)
                && state.lastAvailIdx() < size && state.lastUsedIdx() < size;
        ring = valid ? area(descAddr, VirtqPacked.descRingSize(size), AddressSpace.READ_WRITE, PVIRTQ_DESC_ALIGN) : null;
        driverEvent = valid ? area(driverAddr, PVIRTQ_EVENT_SUPPRESS_SIZE, AddressSpace.READ, PVIRTQ_EVENT_SUPPRESS_ALIGN) : null;
        deviceEvent = valid ? area(deviceAddr, PVIRTQ_EVENT_SUPPRESS_SIZE, AddressSpace.WRITE, PVIRTQ_EVENT_SUPPRESS_ALIGN) : null;
        availPos = state.lastAvailIdx();
        availWrap = state.lastAvailWrap();
        usedPos = state.lastUsedIdx();
        usedWrap = state.lastUsedWrap();
        if (ring == null || driverEvent == null || deviceEvent == null) {
            fail(RingError.RING_ADDRESS_INVALID);
        }
    }

    private static boolean isAvail(int flags, boolean wrap) {
        return ((flags & VIRTQ_DESC_F_AVAIL) != 0) == wrap && ((flags & VIRTQ_DESC_F_USED) != 0) != wrap;
    }

    @Override
    boolean take(Chain c) {
        int pos = availPos;
        boolean wrap = availWrap;
        // acquire: the rest of the chain, written before the head's flags, is read only after them
        int headFlags = Mem.getAcquire16(ring, (long) pos * PVIRTQ_DESC_SIZE + PVIRTQ_DESC_FLAGS);
        if (!isAvail(headFlags, wrap)) {
            return false;
        }
        c.reset();
        int id;
        int n = 0;
        while (true) {
            if (++n > size) {
                return fail(RingError.CHAIN_TOO_LONG);
            }
            long o = (long) pos * PVIRTQ_DESC_SIZE;
            long addr = Mem.get64(ring, o);
            int len = Mem.get32(ring, o + PVIRTQ_DESC_LEN);
            int bufferId = Mem.get16(ring, o + PVIRTQ_DESC_ID);
            int flags = n == 1 ? headFlags : Mem.get16(ring, o + PVIRTQ_DESC_FLAGS);
            if (++pos == size) {
                pos = 0;
                wrap = !wrap;
            }
            if ((flags & VIRTQ_DESC_F_INDIRECT) != 0) {
                RingError e = resolveTable(flags, addr, len, VIRTQ_DESC_F_NEXT);
                if (e == null) {
                    e = readIndirect(c, Integer.toUnsignedLong(len) / PVIRTQ_DESC_SIZE);
                }
                if (e != null) {
                    return fail(e);
                }
                id = bufferId;
                break;
            }
            RingError e = c.append(resolver, addr, len, (flags & VIRTQ_DESC_F_WRITE) != 0);
            if (e != null) {
                return fail(e);
            }
            if ((flags & VIRTQ_DESC_F_NEXT) == 0) {
                id = bufferId;   // the buffer id lives in the last descriptor (2.8.6)
                break;
            }
        }
        if (id >= size) {
            return fail(RingError.PACKED_ID_OUT_OF_RANGE);
        }
        c.id = id;
        c.descCount = n;
        availPos = pos;
        availWrap = wrap;
        if (eventIdx && notifications) {
            // opaque: a hint the driver reads after its own fence; asks for a kick at the next position
            Mem.setOpaque32(deviceEvent, 0, Events.packedEvent(RING_EVENT_FLAGS_DESC, pos, wrap));
        }
        return true;
    }

    /** Reads an indirect table: consecutive descriptors; only WRITE is meaningful there (2.8.7). */
    private RingError readIndirect(Chain c, long entries) {
        if (entries > size) {
            return RingError.INDIRECT_CHAIN_TOO_LONG;
        }
        MemorySegment table = resolver.segment();
        long base = resolver.offset();
        for (int i = 0; i < entries; i++) {
            long o = base + (long) i * PVIRTQ_DESC_SIZE;
            long addr = table.get(Mem.U64_UNALIGNED, o);
            int len = table.get(Mem.U32_UNALIGNED, o + PVIRTQ_DESC_LEN);
            int flags = table.get(Mem.U16_UNALIGNED, o + PVIRTQ_DESC_FLAGS) & 0xffff;
            if ((flags & VIRTQ_DESC_F_INDIRECT) != 0) {
                return RingError.NESTED_INDIRECT;
            }
            RingError e = c.append(resolver, addr, len, (flags & VIRTQ_DESC_F_WRITE) != 0);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    @Override
    void writeUsed(int id, int writtenLength, int buffers, int count) {
        if (count == 0) {
            throw new IllegalArgumentException("buffer id " + id + " was never popped");
        }
        long o = (long) usedPos * PVIRTQ_DESC_SIZE;
        Mem.set32(ring, o + PVIRTQ_DESC_LEN, writtenLength);
        Mem.set16(ring, o + PVIRTQ_DESC_ID, id);
        int flags = (usedWrap ? VIRTQ_DESC_F_AVAIL | VIRTQ_DESC_F_USED : 0) | (writtenLength != 0 ? VIRTQ_DESC_F_WRITE : 0);
        if (pending == 0) {
            firstOffset = o;
            firstFlags = flags;
        } else {
            // plain: the driver reads this only after the first descriptor's release below
            Mem.set16(ring, o + PVIRTQ_DESC_FLAGS, flags);
        }
        pending++;
        pendingDescs += count;
        usedPos += count;
        if (usedPos >= size) {
            usedPos -= size;
            usedWrap = !usedWrap;
        }
    }

    @Override
    void doPublishUsed() {
        if (pending != 0) {
            // release: ids, lengths and the later used descriptors are visible before the first one's flags
            Mem.setRelease16(ring, firstOffset + PVIRTQ_DESC_FLAGS, firstFlags);
            pending = 0;
            sinceSignal += pendingDescs;
            pendingDescs = 0;
        }
    }

    @Override
    boolean doNeedsNotify() {
        int since = sinceSignal;
        if (since == 0) {
            return false;
        }
        sinceSignal = 0;
        return Events.packedWants(driverEvent, eventIdx, usedPos, usedWrap, since, size);
    }

    @Override
    void doDisableNotifications() {
        // opaque: a hint; offset and flags go out in one untorn 32-bit store
        Mem.setOpaque32(deviceEvent, 0, Events.packedEvent(RING_EVENT_FLAGS_DISABLE, 0, false));
    }

    @Override
    boolean doEnableNotifications() {
        // opaque: one untorn 32-bit store of offset and flags; the fence below orders it
        Mem.setOpaque32(deviceEvent, 0, eventIdx
                ? Events.packedEvent(RING_EVENT_FLAGS_DESC, availPos, availWrap)
                : Events.packedEvent(RING_EVENT_FLAGS_ENABLE, 0, false));
        // full fence: the event suppression store must be visible before we re-read the next descriptor (store-load)
        VarHandle.fullFence();
        return isAvail(Mem.getOpaque16(ring, (long) availPos * PVIRTQ_DESC_SIZE + PVIRTQ_DESC_FLAGS), availWrap);
    }

    @Override
    public VirtqueueState state() {
        return new VirtqueueState.Packed(availPos, availWrap, usedPos, usedWrap);
    }
}
