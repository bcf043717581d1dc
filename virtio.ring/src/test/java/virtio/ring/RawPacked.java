package virtio.ring;

import static virtio.ring.RawSplit.U16;
import static virtio.ring.RawSplit.U32;
import static virtio.ring.RawSplit.U64;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_ADDR;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_FLAGS;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_ID;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_LEN;
import static virtio.spec.VirtqPacked.PVIRTQ_DESC_SIZE;
import static virtio.spec.VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE;

import java.lang.foreign.MemorySegment;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtqPacked;

/** A hand-written packed ring, as {@link RawSplit}: the test writes raw descriptors. */
final class RawPacked implements AutoCloseable {

    static final long BASE = RawSplit.BASE;
    static final long DATA = RawSplit.DATA;

    final int size;
    final DmaPool pool;
    final AddressSpace space = new AddressSpace();
    final MemorySegment ring;
    final MemorySegment driverEvent;
    final MemorySegment deviceEvent;
    final MemorySegment data;
    final DeviceQueue device;

    RawPacked(int size, int... featureBits) {
        this.size = size;
        pool = DmaPool.create(0x20000, BASE);
        pool.mapInto(space, AddressSpace.READ_WRITE);
        ring = pool.segment().asSlice(0, VirtqPacked.descRingSize(size));
        driverEvent = pool.segment().asSlice(0x8000, PVIRTQ_EVENT_SUPPRESS_SIZE);
        deviceEvent = pool.segment().asSlice(0xC000, PVIRTQ_EVENT_SUPPRESS_SIZE);
        data = pool.segment().asSlice(DATA - BASE, 0x10000);
        long features = Rig.bits(featureBits) | VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
        device = DeviceQueue.open(space, size, features, BASE, BASE + 0x8000, BASE + 0xC000,
                VirtqueueState.initial(features), new RingErrorCounter("raw-packed"));
    }

    /** AVAIL/USED bits of an available descriptor for driver wrap counter {@code wrap}. */
    static int avail(boolean wrap) {
        return wrap ? VirtqPacked.VIRTQ_DESC_F_AVAIL : VirtqPacked.VIRTQ_DESC_F_USED;
    }

    /** Writes ring slot {@code pos}; {@code flags} should include {@link #avail(boolean)} to be seen. */
    RawPacked desc(int pos, long addr, int len, int id, int flags) {
        write(ring, (long) PVIRTQ_DESC_SIZE * pos, addr, len, id, flags);
        return this;
    }

    static void write(MemorySegment table, long offset, long addr, int len, int id, int flags) {
        table.set(U64, offset + PVIRTQ_DESC_ADDR, addr);
        table.set(U32, offset + PVIRTQ_DESC_LEN, len);
        table.set(U16, offset + PVIRTQ_DESC_ID, (short) id);
        table.set(U16, offset + PVIRTQ_DESC_FLAGS, (short) flags);
    }

    int flags(int pos) {
        return ring.get(U16, (long) PVIRTQ_DESC_SIZE * pos + PVIRTQ_DESC_FLAGS) & 0xffff;
    }

    int id(int pos) {
        return ring.get(U16, (long) PVIRTQ_DESC_SIZE * pos + PVIRTQ_DESC_ID) & 0xffff;
    }

    int len(int pos) {
        return ring.get(U32, (long) PVIRTQ_DESC_SIZE * pos + PVIRTQ_DESC_LEN);
    }

    @Override
    public void close() {
        pool.close();
    }
}
