package virtio.ring;

import java.lang.foreign.MemorySegment;

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
            MemorySegment used = rig.at(rig.driver.deviceAddress(), SplitLayout.usedRingSize(size));
            long o = SplitLayout.USED_RING + 8L * (s.usedIdx() % size);
            used.set(RawSplit.U32, o, lastId);
            used.set(RawSplit.U32, o + 4, length);
            // the used idx moves by the batch size (2.7.9)
            int batch = (s.lastAvailIdx() - s.usedIdx()) & 0xffff;
            used.set(RawSplit.U16, SplitLayout.USED_IDX, (short) (s.usedIdx() + batch));
        } else {
            VirtqueueState.Packed p = (VirtqueueState.Packed) state;
            MemorySegment ring = rig.at(rig.driver.descAddress(), 16L * rig.driver.size());
            long o = 16L * p.lastUsedIdx();
            ring.set(RawSplit.U32, o + 8, length);
            ring.set(RawSplit.U16, o + 12, (short) lastId);
            int flags = (p.lastUsedWrap() ? PackedLayout.VIRTQ_DESC_F_AVAIL | PackedLayout.VIRTQ_DESC_F_USED : 0)
                    | PackedLayout.VIRTQ_DESC_F_WRITE;
            ring.set(RawSplit.U16, o + 14, (short) flags);
        }
    }
}
