package virtio.ring;

import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_ELEM_SIZE;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_IDX;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_RING;
import static virtio.spec.VirtqSplit.VIRTQ_DESC_ADDR;
import static virtio.spec.VirtqSplit.VIRTQ_DESC_FLAGS;
import static virtio.spec.VirtqSplit.VIRTQ_DESC_LEN;
import static virtio.spec.VirtqSplit.VIRTQ_DESC_NEXT;
import static virtio.spec.VirtqSplit.VIRTQ_DESC_SIZE;
import static virtio.spec.VirtqSplit.VIRTQ_USED_ELEM_SIZE;
import static virtio.spec.VirtqSplit.VIRTQ_USED_IDX;
import static virtio.spec.VirtqSplit.VIRTQ_USED_RING;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import virtio.spec.VirtqSplit;

/**
 * A hand-written split ring: the test plays a driver that writes whatever bytes it likes, and
 * opens a real device side over them. Data buffers live in {@link #data} at {@link #DATA}.
 */
final class RawSplit implements AutoCloseable {

    static final long BASE = 0x10_0000L;
    static final long DATA = BASE + 0x10000;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final int size;
    final DmaPool pool;
    final AddressSpace space = new AddressSpace();
    final MemorySegment desc;
    final MemorySegment avail;
    final MemorySegment used;
    final MemorySegment data;
    final DeviceQueue device;
    private int availIdx;

    RawSplit(int size, int... featureBits) {
        this.size = size;
        pool = DmaPool.create(0x20000, BASE);
        pool.mapInto(space, AddressSpace.READ_WRITE);
        desc = pool.segment().asSlice(0, VirtqSplit.descTableSize(size));
        avail = pool.segment().asSlice(0x8000, VirtqSplit.availRingSize(size));
        used = pool.segment().asSlice(0xC000, VirtqSplit.usedRingSize(size));
        data = pool.segment().asSlice(DATA - BASE, 0x10000);
        long features = Rig.bits(featureBits);
        device = DeviceQueue.open(space, size, features, BASE, BASE + 0x8000, BASE + 0xC000,
                VirtqueueState.initial(features), new RingErrorCounter("raw-split"));
    }

    /** Writes descriptor {@code i} of the table. */
    RawSplit desc(int i, long addr, int len, int flags, int next) {
        write(desc, (long) VIRTQ_DESC_SIZE * i, addr, len, flags, next);
        return this;
    }

    /** Writes entry {@code i} of a table at {@code table}. */
    static void write(MemorySegment table, long offset, long addr, int len, int flags, int next) {
        table.set(U64, offset + VIRTQ_DESC_ADDR, addr);
        table.set(U32, offset + VIRTQ_DESC_LEN, len);
        table.set(U16, offset + VIRTQ_DESC_FLAGS, (short) flags);
        table.set(U16, offset + VIRTQ_DESC_NEXT, (short) next);
    }

    /** Puts {@code heads} in the available ring and publishes them. */
    RawSplit publish(int... heads) {
        for (int h : heads) {
            avail.set(U16, VIRTQ_AVAIL_RING + (long) VIRTQ_AVAIL_ELEM_SIZE * (availIdx % size), (short) h);
            availIdx++;
        }
        avail.set(U16, VIRTQ_AVAIL_IDX, (short) availIdx);
        return this;
    }

    /** Sets the available idx to any value. */
    RawSplit availIdx(int idx) {
        avail.set(U16, VIRTQ_AVAIL_IDX, (short) idx);
        return this;
    }

    int usedIdx() {
        return used.get(U16, VIRTQ_USED_IDX) & 0xffff;
    }

    int usedId(int slot) {
        return used.get(U32, VIRTQ_USED_RING + (long) VIRTQ_USED_ELEM_SIZE * slot);
    }

    int usedLen(int slot) {
        // struct virtq_used_elem: le32 id, then le32 len
        return used.get(U32, VIRTQ_USED_RING + (long) VIRTQ_USED_ELEM_SIZE * slot + 4);
    }

    @Override
    public void close() {
        pool.close();
    }
}
