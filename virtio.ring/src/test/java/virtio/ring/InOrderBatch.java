package virtio.ring;

import java.lang.foreign.MemorySegment;
import virtio.spec.Virtq;
import virtio.spec.VirtqPacked;
import virtio.spec.VirtqSplit;

/**
 * Test-side device behaviour the real device side does not produce: one used entry for an in-order
 * batch, written as raw bytes at the driver's next used position.
 */
final class InOrderBatch {

    private InOrderBatch() {}

    /** Reports every popped buffer as used with one entry naming {@code lastId} (the batch's last). */
    static void writeSingleUsed(Rig rig, Layout layout, int lastId, int length) {
        VirtqueueState state = rig.device.state();
        if (layout == Layout.SPLIT) {
            VirtqueueState.Split s = (VirtqueueState.Split) state;
            int size = rig.driver.size();
            MemorySegment used = rig.at(rig.driver.deviceAddress(), VirtqSplit.usedRingSize(size));
            long o = VirtqSplit.VIRTQ_USED_RING + (long) VirtqSplit.VIRTQ_USED_ELEM_SIZE * (s.usedIdx() % size);
            used.set(RawSplit.U32, o, lastId);
            used.set(RawSplit.U32, o + 4, length);
            // the used idx moves by the batch size (2.7.9)
            int batch = (s.lastAvailIdx() - s.usedIdx()) & 0xffff;
            used.set(RawSplit.U16, VirtqSplit.VIRTQ_USED_IDX, (short) (s.usedIdx() + batch));
        } else {
            VirtqueueState.Packed p = (VirtqueueState.Packed) state;
            MemorySegment ring = rig.at(rig.driver.descAddress(), VirtqPacked.descRingSize(rig.driver.size()));
            long o = (long) VirtqPacked.PVIRTQ_DESC_SIZE * p.lastUsedIdx();
            ring.set(RawSplit.U32, o + VirtqPacked.PVIRTQ_DESC_LEN, length);
            ring.set(RawSplit.U16, o + VirtqPacked.PVIRTQ_DESC_ID, (short) lastId);
            int flags = (p.lastUsedWrap() ? VirtqPacked.VIRTQ_DESC_F_AVAIL | VirtqPacked.VIRTQ_DESC_F_USED : 0)
                    | Virtq.VIRTQ_DESC_F_WRITE;
            ring.set(RawSplit.U16, o + VirtqPacked.PVIRTQ_DESC_FLAGS, (short) flags);
        }
    }
}
