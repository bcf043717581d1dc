package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.spec.VirtioFeatures.VIRTIO_F_IN_ORDER;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import virtio.spec.VirtqPacked;
import virtio.spec.VirtqSplit;

/** The device side under VIRTIO_F_IN_ORDER: buffers return in pop order and batches compress. */
class InOrderDeviceTest {

    private static int[] offerThree(Rig rig) {
        for (int i = 0; i < 3; i++) {
            rig.driver.add(new BufferChain(1).writable(rig.buffer(10 + i)), "b" + i);
        }
        int[] ids = new int[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = rig.device.pop().id();
        }
        return ids;
    }

    private static List<String> drain(Rig rig) {
        List<String> got = new ArrayList<>();
        rig.driver.drainUsed((t, len) -> got.add(t + ":" + len), 10);
        return got;
    }

    /** Number of used entries the device wrote: split from the ring, packed by counting used flags. */
    private static int usedEntriesWritten(Rig rig, Layout layout) {
        int size = rig.driver.size();
        if (layout == Layout.SPLIT) {
            MemorySegment used = rig.at(rig.driver.deviceAddress(), VirtqSplit.usedRingSize(size));
            int n = 0;
            for (int i = 0; i < size; i++) {
                n += used.get(RawSplit.U32, VirtqSplit.VIRTQ_USED_RING + (long) VirtqSplit.VIRTQ_USED_ELEM_SIZE * i + 4) != 0 ? 1 : 0;
            }
            return n;
        }
        MemorySegment ring = rig.at(rig.driver.descAddress(), VirtqPacked.descRingSize(size));
        int n = 0;
        for (int i = 0; i < size; i++) {
            int f = ring.get(RawSplit.U16, (long) VirtqPacked.PVIRTQ_DESC_SIZE * i + VirtqPacked.PVIRTQ_DESC_FLAGS) & 0xffff;
            n += (f & VirtqPacked.VIRTQ_DESC_F_USED) != 0 ? 1 : 0;
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void buffersUsedCompletelyAreReportedWithTheNextInOneEntry(Layout layout) {
        try (Rig rig = layout.rig(8, VIRTIO_F_IN_ORDER)) {
            int[] ids = offerThree(rig);
            rig.device.pushUsed(ids[0], 10);
            rig.device.pushUsed(ids[1], 11);
            rig.device.pushUsed(ids[2], 5);
            rig.device.publishUsed();
            assertThat(usedEntriesWritten(rig, layout)).isEqualTo(1);
            assertThat(drain(rig)).containsExactly("b0:10", "b1:11", "b2:5");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aBufferNotUsedCompletelyGetsItsOwnEntry(Layout layout) {
        try (Rig rig = layout.rig(8, VIRTIO_F_IN_ORDER)) {
            int[] ids = offerThree(rig);
            rig.device.pushUsed(ids[0], 3);
            rig.device.pushUsed(ids[1], 11);
            rig.device.pushUsed(ids[2], 12);
            rig.device.publishUsed();
            assertThat(usedEntriesWritten(rig, layout)).isEqualTo(2);
            assertThat(drain(rig)).containsExactly("b0:3", "b1:11", "b2:12");
            if (layout == Layout.SPLIT) {
                assertThat(((VirtqueueState.Split) rig.device.state()).usedIdx()).isEqualTo(3);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void returningOutOfOrderIsTheDevicesBug(Layout layout) {
        try (Rig rig = layout.rig(8, VIRTIO_F_IN_ORDER)) {
            int[] ids = offerThree(rig);
            assertThatThrownBy(() -> rig.device.pushUsed(ids[1], 0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(rig.device.isBroken()).isFalse();
        }
    }

    @Test
    void moreBuffersInFlightThanTheQueueHoldsIsRefused() {
        try (RawSplit r = new RawSplit(2, VIRTIO_F_IN_ORDER)) {
            r.desc(0, RawSplit.DATA, 8, 0, 0).desc(1, RawSplit.DATA, 8, 0, 0);
            r.publish(0, 1);
            assertThat(r.device.pop()).isNotNull();
            assertThat(r.device.pop()).isNotNull();
            // a hostile driver re-offers head 0 while both are still in flight
            r.publish(0);
            assertThat(r.device.pop()).isNull();
            assertThat(r.device.brokenReason()).isEqualTo(RingError.AVAIL_IDX_AHEAD);
        }
    }
}
