package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.ring.RawPacked.DATA;
import static virtio.ring.RawPacked.avail;
import static virtio.spec.VirtioFeatures.VIRTIO_F_INDIRECT_DESC;
import static virtio.spec.Virtq.VIRTQ_DESC_F_INDIRECT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_NEXT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_WRITE;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import virtio.spec.VirtioFeatures;

/** Bad packed rings written as raw bytes: refused with the named reason, counted, nothing thrown. */
class PackedDeviceRefusalTest {

    private static final int A = avail(true);
    private RawPacked ring;

    private RawPacked ring(int size, int... features) {
        ring = new RawPacked(size, features);
        return ring;
    }

    @AfterEach
    void close() {
        if (ring != null) {
            ring.close();
        }
    }

    private void assertRefused(RawPacked r, RingError reason) {
        assertThat(r.device.pop()).isNull();
        assertThat(r.device.brokenReason()).isEqualTo(reason);
        assertThat(r.device.errors().count(reason)).isEqualTo(1);
        assertThat(r.device.pop()).isNull();
        assertThat(r.device.errors().total()).isEqualTo(1);
        assertThat(r.device.needsNotify()).isFalse();
    }

    @Test
    void descriptorNotYetAvailableIsNotTaken() {
        RawPacked r = ring(8);
        r.desc(0, DATA, 16, 0, avail(false));
        assertThat(r.device.pop()).isNull();
        assertThat(r.device.isBroken()).isFalse();
    }

    @Test
    void bufferIdOutOfRangeIsRefused() {
        RawPacked r = ring(8);
        r.desc(0, DATA, 16, 8, A);
        assertRefused(r, RingError.PACKED_ID_OUT_OF_RANGE);
    }

    @Test
    void bufferIdIsTakenFromTheLastDescriptorOfTheChain() {
        RawPacked r = ring(8);
        r.desc(1, DATA, 16, 0, VIRTQ_DESC_F_WRITE | A).desc(0, DATA, 16, 99, VIRTQ_DESC_F_NEXT | A);
        DescriptorChain c = r.device.pop();
        assertThat(c).isNotNull();
        assertThat(c.id()).isZero();
        assertThat(c.descriptorCount()).isEqualTo(2);
    }

    @Test
    void chainLongerThanTheQueueIsRefused() {
        RawPacked r = ring(4);
        for (int i = 0; i < 4; i++) {
            r.desc(i, DATA, 16, 0, VIRTQ_DESC_F_NEXT | A);
        }
        assertRefused(r, RingError.CHAIN_TOO_LONG);
    }

    @Test
    void chainWrappingTheRingEndIsFollowed() {
        RawPacked r = ring(4);
        // four single buffers to move past the end, then a chain of two across slot 3 and slot 0
        for (int i = 0; i < 3; i++) {
            r.desc(i, DATA, 8, i, A);
            DescriptorChain c = r.device.pop();
            r.device.returnUsed(c, 0);
        }
        r.desc(0, DATA + 8, 8, 1, avail(false)).desc(3, DATA, 8, 0, VIRTQ_DESC_F_NEXT | A);
        DescriptorChain c = r.device.pop();
        assertThat(c).isNotNull();
        assertThat(c.id()).isEqualTo(1);
        assertThat(c.readableBytes()).isEqualTo(16);
        assertThat(r.device.state()).isEqualTo(new VirtqueueState.Packed(1, false, 3, true));
    }

    @Test
    void indirectWithoutTheFeatureIsRefused() {
        RawPacked r = ring(8);
        RawPacked.write(r.data, 0x1000, DATA, 16, 0, 0);
        r.desc(0, DATA + 0x1000, 16, 0, VIRTQ_DESC_F_INDIRECT | A);
        assertRefused(r, RingError.INDIRECT_NOT_NEGOTIATED);
    }

    @Test
    void indirectInsideIndirectIsRefused() {
        RawPacked r = ring(8, VIRTIO_F_INDIRECT_DESC);
        RawPacked.write(r.data, 0x1000, DATA, 16, 0, VIRTQ_DESC_F_INDIRECT);
        r.desc(0, DATA + 0x1000, 16, 0, VIRTQ_DESC_F_INDIRECT | A);
        assertRefused(r, RingError.NESTED_INDIRECT);
    }

    @Test
    void indirectTogetherWithNextIsRefused() {
        RawPacked r = ring(8, VIRTIO_F_INDIRECT_DESC);
        RawPacked.write(r.data, 0x1000, DATA, 16, 0, 0);
        r.desc(1, DATA, 16, 0, A).desc(0, DATA + 0x1000, 16, 0, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT | A);
        assertRefused(r, RingError.INDIRECT_WITH_NEXT);
    }

    @Test
    void indirectTableOfBadLengthIsRefused() {
        RawPacked r = ring(8, VIRTIO_F_INDIRECT_DESC);
        r.desc(0, DATA + 0x1000, 40, 0, VIRTQ_DESC_F_INDIRECT | A);
        assertRefused(r, RingError.INDIRECT_BAD_LENGTH);
    }

    @Test
    void indirectTableOfLengthZeroIsRefused() {
        RawPacked r = ring(8, VIRTIO_F_INDIRECT_DESC);
        r.desc(0, DATA + 0x1000, 0, 0, VIRTQ_DESC_F_INDIRECT | A);
        assertRefused(r, RingError.INDIRECT_BAD_LENGTH);
    }

    @Test
    void indirectTableWithMoreEntriesThanTheQueueIsRefused() {
        RawPacked r = ring(4, VIRTIO_F_INDIRECT_DESC);
        for (int i = 0; i < 5; i++) {
            RawPacked.write(r.data, 0x1000 + 16L * i, DATA, 8, 0, 0);
        }
        r.desc(0, DATA + 0x1000, 5 * 16, 0, VIRTQ_DESC_F_INDIRECT | A);
        assertRefused(r, RingError.INDIRECT_CHAIN_TOO_LONG);
    }

    @Test
    void readableAfterWritableIsRefused() {
        RawPacked r = ring(8);
        r.desc(1, DATA, 16, 0, A).desc(0, DATA, 16, 0, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT | A);
        assertRefused(r, RingError.READABLE_AFTER_WRITABLE);
    }

    @Test
    void addressWrapIsRefused() {
        RawPacked r = ring(8);
        r.desc(0, -8L, 16, 0, A);
        assertRefused(r, RingError.ADDRESS_WRAP);
    }

    @Test
    void partlyMappedBufferIsRefused() {
        RawPacked r = ring(8);
        r.desc(0, RawPacked.BASE + 0x20000 - 8, 16, 0, A);
        assertRefused(r, RingError.UNMAPPED_ADDRESS);
    }

    @Test
    void writableBufferInReadOnlyMappingIsRefused() {
        RawPacked r = ring(8);
        r.space.map(0x9000_0000L, java.lang.foreign.Arena.ofAuto().allocate(64), AddressSpace.READ);
        r.desc(0, 0x9000_0000L, 16, 0, VIRTQ_DESC_F_WRITE | A);
        assertRefused(r, RingError.PERMISSION_DENIED);
    }

    @Test
    void misalignedEventAreaIsRefusedAtOpen() {
        try (DmaPool pool = DmaPool.create(0x10000, 0x10000)) {
            AddressSpace space = new AddressSpace();
            pool.mapInto(space, AddressSpace.READ_WRITE);
            long f = Rig.bits(VirtioFeatures.VIRTIO_F_RING_PACKED);
            DeviceQueue q = DeviceQueue.open(space, 8, f, 0x10000, 0x12002, 0x13000);
            assertThat(q.brokenReason()).isEqualTo(RingError.RING_ADDRESS_INVALID);
        }
    }

    @Test
    void anySizeUpTo32768IsAcceptedForPacked() {
        try (DmaPool pool = DmaPool.create(0x100000, 0x100000)) {
            AddressSpace space = new AddressSpace();
            pool.mapInto(space, AddressSpace.READ_WRITE);
            long f = Rig.bits(VirtioFeatures.VIRTIO_F_RING_PACKED);
            assertThat(DeviceQueue.open(space, 3, f, 0x100000, 0x1F0000, 0x1F0004).isBroken()).isFalse();
            assertThat(DeviceQueue.open(space, 32768, f, 0x100000, 0x1F0000, 0x1F0004).isBroken()).isFalse();
            assertThat(DeviceQueue.open(space, 32769, f, 0x100000, 0x1F0000, 0x1F0004).isBroken()).isTrue();
        }
    }
}
