package virtio.ring.internal;

import static virtio.spec.Virtq.VIRTQ_DESC_F_INDIRECT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_NEXT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_WRITE;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_FLAGS;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_ID;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_LEN;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_SIZE;
import static virtio.spec.VirtqPacked.RING_EVENT_FLAGS_DESC;
import static virtio.spec.VirtqPacked.RING_EVENT_FLAGS_DISABLE;
import static virtio.spec.VirtqPacked.RING_EVENT_FLAGS_ENABLE;
import static virtio.spec.VirtqPacked.VIRTQ_DESC_F_AVAIL;
import static virtio.spec.VirtqPacked.VIRTQ_DESC_F_USED;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;
import virtio.spec.NotificationData;
import virtio.spec.VirtqPacked;

/**
 * Driver side of a packed virtqueue (2.8). Buffer ids come from a private stack; the ring slots a
 * buffer took are reclaimed when its used descriptor is read, by skipping that many slots.
 */
public final class PackedDriver extends DriverBase {

    /** Flags that read as "not used" whatever the wrap counter: AVAIL and USED differ. */
    private static final int NOT_USED = VIRTQ_DESC_F_AVAIL;

    private final DmaBuffer ringMem;
    private final DmaBuffer driverEventMem;
    private final DmaBuffer deviceEventMem;
    private final MemorySegment ring;
    private final MemorySegment driverEvent;
    private final MemorySegment deviceEvent;
    private final int[] freeIds;

    private int freeIdCount;
    private int numFree;
    private int availPos;
    private boolean availWrap;
    private int usedPos;
    private boolean usedWrap;
    private int addedSinceKick;
    /**
     * The first staged chain's head: its flags are written last, when the batch is published, so
     * the device (which reads the ring in order) sees none of the batch before all of it.
     * Negative when nothing is staged.
     */
    private long stagedHeadOffset;
    private int stagedHeadFlags;
    private boolean callbacks;
    /** The driver event word last written, or -1. */
    private int advertised;

    public PackedDriver(DmaPool pool, int size, long features, int indirectMax, RingErrorCounter errors) {
        super(pool, size, features, indirectMax, errors, VirtqPacked.isValidSize(size));
        ringMem = pool.allocate(VirtqPacked.descRingSize(size), VirtqPacked.PVIRTQ_DESC_ALIGN);
        driverEventMem = pool.allocate(VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE, VirtqPacked.PVIRTQ_EVENT_SUPPRESS_ALIGN);
        deviceEventMem = pool.allocate(VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE, VirtqPacked.PVIRTQ_EVENT_SUPPRESS_ALIGN);
        // poolBytes below adds up exactly these three allocations and the indirect tables
        ring = ringMem.segment();
        driverEvent = driverEventMem.segment();
        deviceEvent = deviceEventMem.segment();
        freeIds = new int[size];
        resetRing();
    }

    /** See {@link virtio.ring.DriverQueue#poolBytes}. */
    public static long poolBytes(int size, long features, int indirectMax) {
        return DmaPool.worstCase(VirtqPacked.descRingSize(size), VirtqPacked.PVIRTQ_DESC_ALIGN)
                + 2 * DmaPool.worstCase(VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE, VirtqPacked.PVIRTQ_EVENT_SUPPRESS_ALIGN)
                + tablePoolBytes(size, features, indirectMax);
    }

    @Override
    void resetRing() {
        ring.fill((byte) 0);
        driverEvent.fill((byte) 0);
        deviceEvent.fill((byte) 0);
        // ids handed out lowest first
        for (int i = 0; i < size; i++) {
            freeIds[i] = size - 1 - i;
        }
        freeIdCount = size;
        numFree = size;
        availPos = 0;
        availWrap = true;
        usedPos = 0;
        usedWrap = true;
        addedSinceKick = 0;
        stagedHeadOffset = -1;
        callbacks = true;
        advertised = 0;
    }

    @Override public long descAddress() { return ringMem.iova(); }
    @Override public long driverAddress() { return driverEventMem.iova(); }
    @Override public long deviceAddress() { return deviceEventMem.iova(); }
    @Override public int freeDescriptors() { return numFree; }

    @Override
    public int notificationData(int vqn) {
        return NotificationData.packed(vqn, availPos, availWrap);
    }

    @Override
    boolean doAdd(BufferChain chain, Object token, boolean indirect) {
        int n = chain.count();
        int need = indirect ? 1 : n;
        if (numFree < need || freeIdCount == 0) {
            return false;
        }
        int id = freeIds[--freeIdCount];
        int pos = availPos;
        boolean wrap = availWrap;
        long headOffset = (long) pos * PVIRTQ_DESC_SIZE;
        int headFlags;
        if (indirect) {
            writeTable(chain, id);
            Mem.set64(ring, headOffset, tables.iova() + tableOffset(id));
            Mem.set32(ring, headOffset + PVIRTQ_DESC_LEN, n * PVIRTQ_DESC_SIZE);
            Mem.set16(ring, headOffset + PVIRTQ_DESC_ID, id);
            headFlags = VIRTQ_DESC_F_INDIRECT | (wrap ? VIRTQ_DESC_F_AVAIL : VIRTQ_DESC_F_USED);
            if (++pos == size) {
                pos = 0;
                wrap = !wrap;
            }
        } else {
            headFlags = 0;
            for (int i = 0; i < n; i++) {
                long o = (long) pos * PVIRTQ_DESC_SIZE;
                Mem.set64(ring, o, chain.address(i));
                Mem.set32(ring, o + PVIRTQ_DESC_LEN, chain.length(i));
                Mem.set16(ring, o + PVIRTQ_DESC_ID, id);
                int flags = (chain.isWritable(i) ? VIRTQ_DESC_F_WRITE : 0) | (i < n - 1 ? VIRTQ_DESC_F_NEXT : 0)
                        | (wrap ? VIRTQ_DESC_F_AVAIL : VIRTQ_DESC_F_USED);
                if (i == 0) {
                    headFlags = flags;
                } else {
                    // plain: the device reads these only after the head's release below
                    Mem.set16(ring, o + PVIRTQ_DESC_FLAGS, flags);
                }
                if (++pos == size) {
                    pos = 0;
                    wrap = !wrap;
                }
            }
        }
        added(id, token, chain.writableBytes(), need);
        numFree -= need;
        addedSinceKick += need;
        availPos = pos;
        availWrap = wrap;
        if (stagedHeadOffset < 0) {
            stagedHeadOffset = headOffset;
            stagedHeadFlags = headFlags;
        } else {
            // plain: the device reaches this head only after the batch's first head, published with release
            Mem.set16(ring, headOffset + PVIRTQ_DESC_FLAGS, headFlags);
        }
        return true;
    }

    @Override
    void doPublish() {
        long o = stagedHeadOffset;
        if (o >= 0) {
            stagedHeadOffset = -1;
            // release: every staged chain (and indirect table) is visible before the first head's flags expose them
            Mem.setRelease16(ring, o + PVIRTQ_DESC_FLAGS, stagedHeadFlags);
        }
    }

    /** Writes an indirect table of consecutive descriptors; only WRITE is set there (2.8.7). */
    private void writeTable(BufferChain chain, int id) {
        MemorySegment t = tables.segment();
        long base = tableOffset(id);
        for (int i = 0; i < chain.count(); i++) {
            long o = base + (long) i * PVIRTQ_DESC_SIZE;
            Mem.set64(t, o, chain.address(i));
            Mem.set32(t, o + PVIRTQ_DESC_LEN, chain.length(i));
            Mem.set16(t, o + PVIRTQ_DESC_ID, 0);
            Mem.set16(t, o + PVIRTQ_DESC_FLAGS, chain.isWritable(i) ? VIRTQ_DESC_F_WRITE : 0);
        }
    }

    @Override
    void release(int id) {
        freeIds[freeIdCount++] = id;
        numFree += descCount[id];
    }

    @Override
    boolean doKickPrepare() {
        int added = addedSinceKick;
        if (added == 0) {
            return false;
        }
        addedSinceKick = 0;
        return Events.packedWants(deviceEvent, eventIdx, availPos, availWrap, added, size);
    }

    private boolean isUsed(int flags) {
        return ((flags & VIRTQ_DESC_F_AVAIL) != 0) == usedWrap && ((flags & VIRTQ_DESC_F_USED) != 0) == usedWrap;
    }

    @Override
    Object doPoll() {
        long o = (long) usedPos * PVIRTQ_DESC_SIZE;
        // acquire: id and len are read only after the flags that mark the descriptor used
        int flags = Mem.getAcquire16(ring, o + PVIRTQ_DESC_FLAGS);
        if (!isUsed(flags)) {
            flags = recheckEmpty(o);
            if (!isUsed(flags)) {
                return null;
            }
        }
        int id = Mem.get16(ring, o + PVIRTQ_DESC_ID);
        // len is meaningful only when the device set WRITE (2.8.4)
        int length = (flags & VIRTQ_DESC_F_WRITE) != 0 ? Mem.get32(ring, o + PVIRTQ_DESC_LEN) : 0;
        RingError e = check(id, length);
        if (e != null) {
            return fail(e);
        }
        if (isBatch(id)) {
            int batch = batchSize(id);
            int slots = 0;
            for (int k = 0; k < batch; k++) {
                slots += descCount[outstanding(k)];
            }
            advance(slots);
            return startBatch(batch, length);
        }
        advance(descCount[id]);
        return deliver(id, length);
    }

    private void advance(int slots) {
        usedPos += slots;
        if (usedPos >= size) {
            usedPos -= size;
            usedWrap = !usedWrap;
        }
    }

    /**
     * Rare path, the ring looked empty: advertise where we want an interrupt, fence, and read the
     * descriptor's flags again (the new value replaces the old one, which showed nothing).
     */
    private int recheckEmpty(long offset) {
        if (!eventIdx || !callbacks) {
            return NOT_USED;
        }
        int event = Events.packedEvent(RING_EVENT_FLAGS_DESC, usedPos, usedWrap);
        if (advertised == event) {
            return NOT_USED;
        }
        advertised = event;
        // opaque: one untorn 32-bit store of offset and flags; the fence below orders it
        Mem.setOpaque32(driverEvent, 0, event);
        // full fence: the event word must be visible before we re-read the descriptor (store-load), or an interrupt is lost
        VarHandle.fullFence();
        // acquire: as in doPoll, id and len are read only after these flags
        return Mem.getAcquire16(ring, offset + PVIRTQ_DESC_FLAGS);
    }

    @Override
    void doDisableCallbacks() {
        callbacks = false;
        advertised = -1;
        // opaque: a hint the device reads after its own fence
        Mem.setOpaque32(driverEvent, 0, Events.packedEvent(RING_EVENT_FLAGS_DISABLE, 0, false));
    }

    @Override
    boolean doEnableCallbacks() {
        callbacks = true;
        int event = eventIdx ? Events.packedEvent(RING_EVENT_FLAGS_DESC, usedPos, usedWrap)
                : Events.packedEvent(RING_EVENT_FLAGS_ENABLE, 0, false);
        advertised = event;
        // opaque: one untorn 32-bit store of offset and flags; the fence below orders it
        Mem.setOpaque32(driverEvent, 0, event);
        // full fence: the event word must be visible before we re-read the next used descriptor (store-load)
        VarHandle.fullFence();
        return isUsed(Mem.getOpaque16(ring, (long) usedPos * PVIRTQ_DESC_SIZE + PVIRTQ_DESC_FLAGS));
    }

    @Override
    public void close() {
        super.close();
        pool.free(ringMem);
        pool.free(driverEventMem);
        pool.free(deviceEventMem);
    }
}
