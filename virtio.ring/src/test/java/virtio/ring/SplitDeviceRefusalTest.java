package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.ring.RawSplit.DATA;
import static virtio.spec.VirtioFeatures.VIRTIO_F_INDIRECT_DESC;
import static virtio.spec.Virtq.VIRTQ_DESC_F_INDIRECT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_NEXT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_WRITE;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a driver can write a bad split ring, written as raw bytes: the device side refuses
 * with the named reason, marks the queue broken, counts it once, and throws nothing.
 */
class SplitDeviceRefusalTest {

    private RawSplit ring;

    private RawSplit ring(int size, int... features) {
        ring = new RawSplit(size, features);
        return ring;
    }

    @AfterEach
    void close() {
        if (ring != null) {
            ring.close();
        }
    }

    private void assertRefused(RawSplit r, RingError reason) {
        assertThat(r.device.pop()).isNull();
        assertThat(r.device.isBroken()).isTrue();
        assertThat(r.device.brokenReason()).isEqualTo(reason);
        assertThat(r.device.errors().count(reason)).isEqualTo(1);
        assertThat(r.device.errors().total()).isEqualTo(1);
        // a broken queue stays quiet: no further pops, counts or used entries
        assertThat(r.device.pop()).isNull();
        r.device.pushUsed(0, 0);
        r.device.publishUsed();
        assertThat(r.usedIdx()).isZero();
        assertThat(r.device.needsNotify()).isFalse();
        assertThat(r.device.errors().total()).isEqualTo(1);
    }

    @Test
    void headIndexOutOfRangeIsRefused() {
        RawSplit r = ring(8);
        r.publish(8);
        assertRefused(r, RingError.HEAD_OUT_OF_RANGE);
    }

    @Test
    void nextIndexOutOfRangeIsRefused() {
        RawSplit r = ring(8);
        r.desc(0, DATA, 16, VIRTQ_DESC_F_NEXT, 9).publish(0);
        assertRefused(r, RingError.NEXT_OUT_OF_RANGE);
    }

    @Test
    void chainThatLoopsIsRefusedAsLongerThanTheQueue() {
        RawSplit r = ring(8);
        r.desc(0, DATA, 16, VIRTQ_DESC_F_NEXT, 1).desc(1, DATA + 16, 16, VIRTQ_DESC_F_NEXT, 0).publish(0);
        assertRefused(r, RingError.CHAIN_TOO_LONG);
    }

    @Test
    void selfLoopIsRefused() {
        RawSplit r = ring(4);
        r.desc(2, DATA, 16, VIRTQ_DESC_F_NEXT, 2).publish(2);
        assertRefused(r, RingError.CHAIN_TOO_LONG);
    }

    @Test
    void chainOfExactlyQueueSizeIsAccepted() {
        RawSplit r = ring(4);
        for (int i = 0; i < 4; i++) {
            r.desc(i, DATA + 16L * i, 16, i < 3 ? VIRTQ_DESC_F_NEXT : 0, i + 1);
        }
        r.publish(0);
        DescriptorChain c = r.device.pop();
        assertThat(c).isNotNull();
        assertThat(c.readableBytes()).isEqualTo(64);
        assertThat(c.descriptorCount()).isEqualTo(4);
    }

    @Test
    void loopInsideIndirectTableIsRefusedSeparately() {
        RawSplit r = ring(8, VIRTIO_F_INDIRECT_DESC);
        long table = DATA + 0x1000;
        RawSplit.write(r.data, 0x1000, DATA, 16, VIRTQ_DESC_F_NEXT, 1);
        RawSplit.write(r.data, 0x1010, DATA, 16, VIRTQ_DESC_F_NEXT, 0);
        r.desc(0, table, 32, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
        assertRefused(r, RingError.INDIRECT_CHAIN_TOO_LONG);
    }

    @Test
    void indirectNextBeyondTableIsRefused() {
        RawSplit r = ring(8, VIRTIO_F_INDIRECT_DESC);
        RawSplit.write(r.data, 0x1000, DATA, 16, VIRTQ_DESC_F_NEXT, 2);
        RawSplit.write(r.data, 0x1010, DATA, 16, 0, 0);
        r.desc(0, DATA + 0x1000, 32, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
        assertRefused(r, RingError.NEXT_OUT_OF_RANGE);
    }

    @Test
    void indirectWithoutTheFeatureIsRefused() {
        RawSplit r = ring(8);
        RawSplit.write(r.data, 0x1000, DATA, 16, 0, 0);
        r.desc(0, DATA + 0x1000, 16, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
        assertRefused(r, RingError.INDIRECT_NOT_NEGOTIATED);
    }

    @Test
    void indirectInsideIndirectIsRefused() {
        RawSplit r = ring(8, VIRTIO_F_INDIRECT_DESC);
        RawSplit.write(r.data, 0x1000, DATA + 0x2000, 16, VIRTQ_DESC_F_INDIRECT, 0);
        RawSplit.write(r.data, 0x2000, DATA, 16, 0, 0);
        r.desc(0, DATA + 0x1000, 16, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
        assertRefused(r, RingError.NESTED_INDIRECT);
    }

    @Test
    void indirectTogetherWithNextIsRefused() {
        RawSplit r = ring(8, VIRTIO_F_INDIRECT_DESC);
        RawSplit.write(r.data, 0x1000, DATA, 16, 0, 0);
        r.desc(0, DATA + 0x1000, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1).desc(1, DATA, 16, 0, 0).publish(0);
        assertRefused(r, RingError.INDIRECT_WITH_NEXT);
    }

    @Test
    void indirectTableOfLengthZeroIsRefused() {
        RawSplit r = ring(8, VIRTIO_F_INDIRECT_DESC);
        r.desc(0, DATA + 0x1000, 0, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
        assertRefused(r, RingError.INDIRECT_BAD_LENGTH);
    }

    @Test
    void indirectTableLengthNotMultipleOf16IsRefused() {
        RawSplit r = ring(8, VIRTIO_F_INDIRECT_DESC);
        RawSplit.write(r.data, 0x1000, DATA, 16, 0, 0);
        r.desc(0, DATA + 0x1000, 24, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
        assertRefused(r, RingError.INDIRECT_BAD_LENGTH);
    }

    @Test
    void indirectTableOutsideMappingsIsRefused() {
        RawSplit r = ring(8, VIRTIO_F_INDIRECT_DESC);
        r.desc(0, 0x7000_0000L, 16, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
        assertRefused(r, RingError.UNMAPPED_ADDRESS);
    }

    @Test
    void readableAfterWritableIsRefused() {
        RawSplit r = ring(8);
        r.desc(0, DATA, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1).desc(1, DATA + 16, 16, 0, 0).publish(0);
        assertRefused(r, RingError.READABLE_AFTER_WRITABLE);
    }

    @Test
    void readableAfterWritableInsideIndirectTableIsRefused() {
        RawSplit r = ring(8, VIRTIO_F_INDIRECT_DESC);
        RawSplit.write(r.data, 0x1000, DATA, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
        RawSplit.write(r.data, 0x1010, DATA, 16, 0, 0);
        r.desc(0, DATA + 0x1000, 32, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
        assertRefused(r, RingError.READABLE_AFTER_WRITABLE);
    }

    @Test
    void addressPlusLengthWrappingIsRefused() {
        RawSplit r = ring(8);
        r.desc(0, -16L, 32, 0, 0).publish(0);
        assertRefused(r, RingError.ADDRESS_WRAP);
    }

    @Test
    void bufferOutsideEveryMappingIsRefused() {
        RawSplit r = ring(8);
        r.desc(0, 0x7000_0000L, 16, 0, 0).publish(0);
        assertRefused(r, RingError.UNMAPPED_ADDRESS);
    }

    @Test
    void writableBufferInReadOnlyMappingIsRefused() {
        RawSplit r = ring(8);
        r.space.map(0x9000_0000L, java.lang.foreign.Arena.ofAuto().allocate(64), AddressSpace.READ);
        r.desc(0, 0x9000_0000L, 16, VIRTQ_DESC_F_WRITE, 0).publish(0);
        assertRefused(r, RingError.PERMISSION_DENIED);
    }

    @Test
    void readableBufferInWriteOnlyMappingIsRefused() {
        RawSplit r = ring(8);
        r.space.map(0x9000_0000L, java.lang.foreign.Arena.ofAuto().allocate(64), AddressSpace.WRITE);
        r.desc(0, 0x9000_0000L, 16, 0, 0).publish(0);
        assertRefused(r, RingError.PERMISSION_DENIED);
    }

    @Test
    void chainOverFourGibibytesIsRefused(@TempDir Path dir) throws Exception {
        RawSplit r = ring(8);
        // a sparse file mapping: 4 GiB of address space, no memory touched
        try (DmaPool huge = DmaPool.map(dir.resolve("huge"), (1L << 32) + 4096, 0x1_0000_0000L)) {
            huge.mapInto(r.space, AddressSpace.READ);
            r.desc(0, 0x1_0000_0000L, -1, VIRTQ_DESC_F_NEXT, 1).desc(1, 0x1_0000_0000L, 2, 0, 0).publish(0);
            assertRefused(r, RingError.CHAIN_BYTES_TOO_LARGE);
        }
    }

    @Test
    void singleDescriptorOfFourGibibytesMinusOneIsAcceptedWhenMapped(@TempDir Path dir) throws Exception {
        RawSplit r = ring(8);
        try (DmaPool huge = DmaPool.map(dir.resolve("huge"), (1L << 32) + 4096, 0x1_0000_0000L)) {
            huge.mapInto(r.space, AddressSpace.READ);
            r.desc(0, 0x1_0000_0000L, -1, 0, 0).publish(0);
            DescriptorChain c = r.device.pop();
            assertThat(c).isNotNull();
            assertThat(c.readableBytes()).isEqualTo(0xFFFF_FFFFL);
        }
    }

    @Test
    void availIdxMoreThanQueueSizeAheadIsRefused() {
        RawSplit r = ring(8);
        r.availIdx(9);
        assertRefused(r, RingError.AVAIL_IDX_AHEAD);
    }

    @Test
    void availIdxExactlyQueueSizeAheadIsAccepted() {
        RawSplit r = ring(4);
        for (int i = 0; i < 4; i++) {
            r.desc(i, DATA, 8, 0, 0);
        }
        r.publish(0, 1, 2, 3);
        for (int i = 0; i < 4; i++) {
            assertThat(r.device.pop()).isNotNull();
        }
        assertThat(r.device.pop()).isNull();
        assertThat(r.device.isBroken()).isFalse();
    }

    @Test
    void misalignedRingIsRefusedAtOpen() {
        try (DmaPool pool = DmaPool.create(0x10000, 0x10000)) {
            AddressSpace space = new AddressSpace();
            pool.mapInto(space, AddressSpace.READ_WRITE);
            DeviceQueue q = DeviceQueue.open(space, 8, Rig.bits(), 0x10008, 0x12000, 0x13000);
            assertThat(q.isBroken()).isTrue();
            assertThat(q.brokenReason()).isEqualTo(RingError.RING_ADDRESS_INVALID);
            assertThat(q.pop()).isNull();
        }
    }

    @Test
    void unmappedRingIsRefusedAtOpen() {
        DeviceQueue q = DeviceQueue.open(new AddressSpace(), 8, Rig.bits(), 0x1000, 0x2000, 0x3000);
        assertThat(q.brokenReason()).isEqualTo(RingError.RING_ADDRESS_INVALID);
    }

    @Test
    void usedRingInReadOnlyMappingIsRefusedAtOpen() {
        try (DmaPool pool = DmaPool.create(0x10000, 0x10000)) {
            AddressSpace space = new AddressSpace();
            pool.mapInto(space, AddressSpace.READ);
            DeviceQueue q = DeviceQueue.open(space, 8, Rig.bits(), 0x10000, 0x12000, 0x13000);
            assertThat(q.brokenReason()).isEqualTo(RingError.RING_ADDRESS_INVALID);
        }
    }

    @Test
    void nonPowerOfTwoSplitSizeIsRefusedAtOpen() {
        try (DmaPool pool = DmaPool.create(0x10000, 0x10000)) {
            AddressSpace space = new AddressSpace();
            pool.mapInto(space, AddressSpace.READ_WRITE);
            DeviceQueue q = DeviceQueue.open(space, 12, Rig.bits(), 0x10000, 0x12000, 0x13000);
            assertThat(q.brokenReason()).isEqualTo(RingError.RING_ADDRESS_INVALID);
        }
    }

    @Test
    void memoryClosedUnderTheQueueBreaksItWithoutThrowing() {
        RawSplit r = ring(8);
        r.desc(0, DATA, 8, 0, 0).publish(0);
        r.pool.close();
        assertThat(r.device.pop()).isNull();
        assertThat(r.device.brokenReason()).isEqualTo(RingError.MEMORY_FAULT);
        ring = null;
    }

    @Test
    void refusalIsCountedInASharedCounter() {
        RingErrorCounter shared = new RingErrorCounter("dev0");
        try (RawSplit a = new RawSplit(8)) {
            a.publish(9);
            DeviceQueue q = DeviceQueue.open(a.space, 8, Rig.bits(), RawSplit.BASE, RawSplit.BASE + 0x8000,
                    RawSplit.BASE + 0xC000, VirtqueueState.initial(Rig.bits()), shared);
            DeviceQueue q2 = DeviceQueue.open(a.space, 8, Rig.bits(), RawSplit.BASE, RawSplit.BASE + 0x8000,
                    RawSplit.BASE + 0xC000, VirtqueueState.initial(Rig.bits()), shared);
            assertThat(q.pop()).isNull();
            assertThat(q2.pop()).isNull();
            assertThat(shared.count(RingError.HEAD_OUT_OF_RANGE)).isEqualTo(2);
            assertThat(shared.snapshot()).containsOnlyKeys(RingError.HEAD_OUT_OF_RANGE);
        }
    }
}
