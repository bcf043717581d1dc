package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import virtio.spec.Virtq;
import virtio.spec.VirtqPacked;
import virtio.spec.VirtqSplit;

/**
 * A hostile device writes raw used entries into the driver's ring: the driver side refuses ids
 * that are not outstanding and lengths beyond what was offered, breaks, counts, throws nothing.
 */
class DriverRefusalTest {

    /** Writes a used entry for the driver's next used position, as a device would. */
    private static void used(Rig rig, Layout layout, int slot, int id, int length, int newUsedIdx) {
        int size = rig.driver.size();
        if (layout == Layout.SPLIT) {
            MemorySegment used = rig.at(rig.driver.deviceAddress(), VirtqSplit.usedRingSize(size));
            used.set(RawSplit.U32, VirtqSplit.VIRTQ_USED_RING + (long) VirtqSplit.VIRTQ_USED_ELEM_SIZE * slot, id);
            used.set(RawSplit.U32, VirtqSplit.VIRTQ_USED_RING + (long) VirtqSplit.VIRTQ_USED_ELEM_SIZE * slot + 4, length);
            used.set(RawSplit.U16, VirtqSplit.VIRTQ_USED_IDX, (short) newUsedIdx);
        } else {
            MemorySegment ring = rig.at(rig.driver.descAddress(), VirtqPacked.descRingSize(size));
            long o = (long) VirtqPacked.PVIRTQ_DESC_SIZE * slot;
            ring.set(RawSplit.U32, o + VirtqPacked.PVIRTQ_DESC_LEN, length);
            ring.set(RawSplit.U16, o + VirtqPacked.PVIRTQ_DESC_ID, (short) id);
            ring.set(RawSplit.U16, o + VirtqPacked.PVIRTQ_DESC_FLAGS, (short) (VirtqPacked.VIRTQ_DESC_F_AVAIL
                    | VirtqPacked.VIRTQ_DESC_F_USED | Virtq.VIRTQ_DESC_F_WRITE));
        }
    }

    private static void assertRefused(Rig rig, RingError reason) {
        assertThat(rig.driver.pollUsed()).isNull();
        assertThat(rig.driver.isBroken()).isTrue();
        assertThat(rig.driver.brokenReason()).isEqualTo(reason);
        assertThat(rig.driver.errors().count(reason)).isEqualTo(1);
        assertThat(rig.driver.pollUsed()).isNull();
        assertThat(rig.driver.add(new BufferChain(1).readable(rig.buffer(4)), "more")).isFalse();
        assertThat(rig.driver.kickPrepare()).isFalse();
        assertThat(rig.driver.errors().total()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void usedIdThatWasNeverOfferedIsRefused(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.add(new BufferChain(1).writable(rig.buffer(8)), "a");
            used(rig, layout, 0, 5, 0, 1);
            assertRefused(rig, RingError.USED_ID_NOT_OUTSTANDING);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void usedIdOfABufferOnlyStagedIsRefused(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.add(new BufferChain(1).writable(rig.buffer(8)), "a"); // id 0, visible
            rig.driver.stage(new BufferChain(1).writable(rig.buffer(8)), "b"); // id 1, not yet
            used(rig, layout, 0, 1, 0, 1);
            assertRefused(rig, RingError.USED_ID_NOT_OUTSTANDING);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void usedIdOutOfRangeIsRefused(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.add(new BufferChain(1).writable(rig.buffer(8)), "a");
            used(rig, layout, 0, 0xFFFF, 0, 1);
            assertRefused(rig, RingError.USED_ID_NOT_OUTSTANDING);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void usedIdReturnedTwiceIsRefusedTheSecondTime(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.add(new BufferChain(1).writable(rig.buffer(8)), "a");
            rig.driver.add(new BufferChain(1).writable(rig.buffer(8)), "b");
            used(rig, layout, 0, 0, 1, 1);
            assertThat(rig.driver.pollUsed()).isEqualTo("a");
            used(rig, layout, 1, 0, 1, 2);
            assertRefused(rig, RingError.USED_ID_NOT_OUTSTANDING);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void usedLengthBeyondTheWritableBytesOfferedIsRefused(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.add(new BufferChain(2).readable(rig.buffer(100)).writable(rig.buffer(8)), "a");
            used(rig, layout, 0, 0, 9, 1);
            assertRefused(rig, RingError.USED_LEN_TOO_LARGE);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void usedLengthOfAReadOnlyBufferMustBeZero(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.add(new BufferChain(1).readable(rig.buffer(100)), "a");
            used(rig, layout, 0, 0, 1, 1);
            assertRefused(rig, RingError.USED_LEN_TOO_LARGE);
        }
    }

    @Test
    void splitUsedIdxMoreThanQueueSizeAheadIsRefused() {
        try (Rig rig = Layout.SPLIT.rig(8)) {
            rig.driver.add(new BufferChain(1).writable(rig.buffer(8)), "a");
            used(rig, Layout.SPLIT, 0, 0, 0, 9);
            assertRefused(rig, RingError.USED_IDX_AHEAD);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void detachAfterABrokenQueueHandsBackEveryTokenAndHeals(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.add(new BufferChain(1).writable(rig.buffer(8)), "a");
            used(rig, layout, 0, 7, 0, 1);
            assertThat(rig.driver.pollUsed()).isNull();
            assertThat(rig.driver.isBroken()).isTrue();
            assertThat(rig.driver.detachUnused()).isEqualTo("a");
            assertThat(rig.driver.detachUnused()).isNull();
            assertThat(rig.driver.isBroken()).isFalse();
            assertThat(rig.driver.freeDescriptors()).isEqualTo(8);
        }
    }
}
