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
import static virtio.spec.VirtqSplit.VIRTQ_USED_ELEM_SIZE;
import static virtio.spec.VirtqSplit.VIRTQ_USED_FLAGS;
import static virtio.spec.VirtqSplit.VIRTQ_USED_F_NO_NOTIFY;
import static virtio.spec.VirtqSplit.VIRTQ_USED_IDX;
import static virtio.spec.VirtqSplit.VIRTQ_USED_RING;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;
import virtio.spec.NotificationData;
import virtio.spec.VirtqSplit;

/**
 * Driver side of a split virtqueue (2.7). Free descriptors form a FIFO list kept in private
 * memory (never read back from the shared table); freed chains go to its tail, so with in-order
 * completion descriptors are reused in ring order, as VIRTIO_F_IN_ORDER requires.
 */
public final class SplitDriver extends DriverBase {

    private final DmaBuffer descMem;
    private final DmaBuffer availMem;
    private final DmaBuffer usedMem;
    private final MemorySegment desc;
    private final MemorySegment avail;
    private final MemorySegment used;
    private final int mask;
    private final long usedEventOffset;
    private final long availEventOffset;
    private final int[] nextFree;
    private final int[] chainTail;

    private int freeHead;
    private int freeTail;
    private int numFree;
    private int availIdx;
    /** The avail idx as last stored in the ring; buffers past it are staged, not yet visible. */
    private int publishedAvail;
    private int kickedAvail;
    private int lastUsed;
    /** The device's used idx as last read; entries up to it are known published. */
    private int seenUsed;
    private boolean callbacks;
    /** The used_event value last written, or -1. */
    private int advertised;

    public SplitDriver(DmaPool pool, int size, long features, int indirectMax, RingErrorCounter errors) {
        super(pool, size, features, indirectMax, errors, VirtqSplit.isValidSize(size));
        descMem = pool.allocate(VirtqSplit.descTableSize(size), VirtqSplit.VIRTQ_DESC_ALIGN);
        availMem = pool.allocate(VirtqSplit.availRingSize(size), VirtqSplit.VIRTQ_AVAIL_ALIGN);
        usedMem = pool.allocate(VirtqSplit.usedRingSize(size), VirtqSplit.VIRTQ_USED_ALIGN);
        // poolBytes below adds up exactly these three allocations and the indirect tables
        desc = descMem.segment();
        avail = availMem.segment();
        used = usedMem.segment();
        mask = size - 1;
        usedEventOffset = VirtqSplit.usedEventOffset(size);
        availEventOffset = VirtqSplit.availEventOffset(size);
        nextFree = new int[size];
        chainTail = new int[size];
        resetRing();
    }

    /** See {@link virtio.ring.DriverQueue#poolBytes}. */
    public static long poolBytes(int size, long features, int indirectMax) {
        return DmaPool.worstCase(VirtqSplit.descTableSize(size), VirtqSplit.VIRTQ_DESC_ALIGN)
                + DmaPool.worstCase(VirtqSplit.availRingSize(size), VirtqSplit.VIRTQ_AVAIL_ALIGN)
                + DmaPool.worstCase(VirtqSplit.usedRingSize(size), VirtqSplit.VIRTQ_USED_ALIGN)
                + tablePoolBytes(size, features, indirectMax);
    }

    @Override
    void resetRing() {
        desc.fill((byte) 0);
        avail.fill((byte) 0);
        used.fill((byte) 0);
        for (int i = 0; i < size; i++) {
            nextFree[i] = (i + 1) & mask;
        }
        freeHead = 0;
        freeTail = size - 1;
        numFree = size;
        availIdx = 0;
        publishedAvail = 0;
        kickedAvail = 0;
        lastUsed = 0;
        seenUsed = 0;
        callbacks = true;
        advertised = 0;
    }

    @Override public long descAddress() { return descMem.iova(); }
    @Override public long driverAddress() { return availMem.iova(); }
    @Override public long deviceAddress() { return usedMem.iova(); }
    @Override public int freeDescriptors() { return numFree; }

    @Override
    public int notificationData(int vqn) {
        return NotificationData.split(vqn, availIdx);
    }

    @Override
    boolean doAdd(BufferChain chain, Object token, boolean indirect) {
        int n = chain.count();
        int need = indirect ? 1 : n;
        if (numFree < need) {
            return false;
        }
        int head = freeHead;
        int d = head;
        int tail = head;
        if (indirect) {
            d = addIndirect(chain, head);
        } else {
            MemorySegment desc = this.desc;
            int[] nextFree = this.nextFree;
            for (int i = 0; i < n; i++) {
                long o = (long) d * VIRTQ_DESC_SIZE;
                int next = nextFree[d];
                boolean more = i < n - 1;
                int flags = (chain.isWritable(i) ? VIRTQ_DESC_F_WRITE : 0) | (more ? VIRTQ_DESC_F_NEXT : 0);
                Mem.set64(desc, o, chain.address(i));
                Mem.set64(desc, o + VIRTQ_DESC_LEN, Mem.splitDescTail(chain.length(i), flags, more ? next : 0));
                tail = d;
                d = next;
            }
        }
        chainTail[head] = tail;
        freeHead = d;
        numFree -= need;
        added(head, token, chain.writableBytes(), need);
        MemorySegment avail = this.avail;
        int idx = availIdx;
        Mem.set16(avail, VIRTQ_AVAIL_RING + 2L * (idx & mask), head);
        availIdx = (idx + 1) & 0xffff;
        return true;
    }

    @Override
    void doPublish() {
        int idx = availIdx;
        if (idx != publishedAvail) {
            publishedAvail = idx;
            // release: the descriptors and ring entries are visible before the index that exposes them
            Mem.setRelease16(avail, VIRTQ_AVAIL_IDX, idx);
        }
    }

    /** Writes the indirect table of {@code head} and the one ring descriptor naming it; returns the next free descriptor. */
    private int addIndirect(BufferChain chain, int head) {
        writeTable(chain, head);
        long o = (long) head * VIRTQ_DESC_SIZE;
        Mem.set64(desc, o, tables.iova() + tableOffset(head));
        Mem.set64(desc, o + VIRTQ_DESC_LEN, Mem.splitDescTail(chain.count() * VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0));
        return nextFree[head];
    }

    /** Writes an indirect table: entries chained 0, 1, 2, ... as IN_ORDER asks (harmless otherwise). */
    private void writeTable(BufferChain chain, int id) {
        MemorySegment t = tables.segment();
        long base = tableOffset(id);
        int n = chain.count();
        for (int i = 0; i < n; i++) {
            long o = base + (long) i * VIRTQ_DESC_SIZE;
            boolean more = i < n - 1;
            int flags = (chain.isWritable(i) ? VIRTQ_DESC_F_WRITE : 0) | (more ? VIRTQ_DESC_F_NEXT : 0);
            Mem.set64(t, o, chain.address(i));
            Mem.set64(t, o + VIRTQ_DESC_LEN, Mem.splitDescTail(chain.length(i), flags, more ? i + 1 : 0));
        }
    }

    @Override
    void release(int head) {
        int count = descCount[head];
        if (numFree == 0) {
            freeHead = head;
        } else {
            nextFree[freeTail] = head;
        }
        freeTail = chainTail[head];
        numFree += count;
    }

    @Override
    boolean doKickPrepare() {
        int now = availIdx;
        int old = kickedAvail;
        if (now == old) {
            return false;
        }
        kickedAvail = now;
        return Events.splitWants(used, eventIdx, availEventOffset, VIRTQ_USED_FLAGS, VIRTQ_USED_F_NO_NOTIFY, now, old);
    }

    @Override
    Object doPoll() {
        int last = lastUsed;
        if (last == seenUsed && !refreshUsed()) {
            return null;
        }
        // id and len in one read; the element is 4-aligned only
        long elem = Mem.get64Unaligned(used, VIRTQ_USED_RING + (long) VIRTQ_USED_ELEM_SIZE * (last & mask));
        int id = (int) elem;
        int length = (int) (elem >>> 32);
        RingError e = check(id, length);
        if (e != null) {
            return fail(e);
        }
        if (isBatch(id)) {
            int batch = batchSize(id);
            // an in-order batch advances the used index by its size (2.7.9)
            if (batch > ((seenUsed - last) & 0xffff)) {
                return fail(RingError.USED_IDX_AHEAD);
            }
            lastUsed = (last + batch) & 0xffff;
            return startBatch(batch, length);
        }
        lastUsed = (last + 1) & 0xffff;
        return deliver(id, length);
    }

    /** Re-reads the used idx; true if entries are pending. Rare path: the ring looked empty. */
    private boolean refreshUsed() {
        for (int round = 0; round < 2; round++) {
            // acquire: used elements are read only after the index that published them
            int idx = Mem.getAcquire16(used, VIRTQ_USED_IDX);
            if (((idx - lastUsed) & 0xffff) > size) {
                fail(RingError.USED_IDX_AHEAD);
                return false;
            }
            if (idx != lastUsed) {
                seenUsed = idx;
                return true;
            }
            if (!eventIdx || !callbacks || advertised == lastUsed) {
                return false;
            }
            advertised = lastUsed;
            // opaque: an untorn store; the fence below orders it
            Mem.setOpaque16(avail, usedEventOffset, lastUsed);
            // full fence: used_event must be visible before we re-read used idx (store-load), or an interrupt is lost
            VarHandle.fullFence();
        }
        return false;
    }

    @Override
    void doDisableCallbacks() {
        callbacks = false;
        if (eventIdx) {
            // an event one behind the last seen entry is reached only after 65535 more: never, in practice
            advertised = (lastUsed - 1) & 0xffff;
            // opaque: a hint the device reads after its own fence
            Mem.setOpaque16(avail, usedEventOffset, advertised);
        } else {
            // opaque: a hint the device reads after its own fence
            Mem.setOpaque16(avail, VIRTQ_AVAIL_FLAGS, VIRTQ_AVAIL_F_NO_INTERRUPT);
        }
    }

    @Override
    boolean doEnableCallbacks() {
        callbacks = true;
        // opaque: untorn stores; the fence below orders them
        if (eventIdx) {
            advertised = lastUsed;
            Mem.setOpaque16(avail, usedEventOffset, lastUsed);
        } else {
            Mem.setOpaque16(avail, VIRTQ_AVAIL_FLAGS, 0);
        }
        // full fence: the flags/used_event store must be visible before we re-read used idx (store-load)
        VarHandle.fullFence();
        return Mem.getOpaque16(used, VIRTQ_USED_IDX) != lastUsed;
    }

    @Override
    public void close() {
        super.close();
        pool.free(descMem);
        pool.free(availMem);
        pool.free(usedMem);
    }
}
