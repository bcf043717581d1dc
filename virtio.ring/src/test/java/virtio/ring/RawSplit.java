package virtio.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

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
        desc = pool.segment().asSlice(0, 16L * size);
        avail = pool.segment().asSlice(0x8000, 6 + 2L * size);
        used = pool.segment().asSlice(0xC000, 6 + 8L * size);
        data = pool.segment().asSlice(DATA - BASE, 0x10000);
        long features = Rig.bits(featureBits);
        device = DeviceQueue.open(space, size, features, BASE, BASE + 0x8000, BASE + 0xC000,
                VirtqueueState.initial(features), new RingErrorCounter("raw-split"));
    }

    /** Writes descriptor {@code i} of the table. */
    RawSplit desc(int i, long addr, int len, int flags, int next) {
        write(desc, 16L * i, addr, len, flags, next);
        return this;
    }

    /** Writes entry {@code i} of a table at {@code table}. */
    static void write(MemorySegment table, long offset, long addr, int len, int flags, int next) {
        table.set(U64, offset, addr);
        table.set(U32, offset + 8, len);
        table.set(U16, offset + 12, (short) flags);
        table.set(U16, offset + 14, (short) next);
    }

    /** Puts {@code heads} in the available ring and publishes them. */
    RawSplit publish(int... heads) {
        for (int h : heads) {
            avail.set(U16, 4 + 2L * (availIdx % size), (short) h);
            availIdx++;
        }
        avail.set(U16, 2, (short) availIdx);
        return this;
    }

    /** Sets the available idx to any value. */
    RawSplit availIdx(int idx) {
        avail.set(U16, 2, (short) idx);
        return this;
    }

    int usedIdx() {
        return used.get(U16, 2) & 0xffff;
    }

    int usedId(int slot) {
        return used.get(U32, 4 + 8L * slot);
    }

    int usedLen(int slot) {
        return used.get(U32, 4 + 8L * slot + 4);
    }

    @Override
    public void close() {
        pool.close();
    }
}
