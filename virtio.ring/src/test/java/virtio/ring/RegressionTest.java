package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.ring.RawSplit.DATA;
import static virtio.spec.Virtq.VIRTQ_DESC_F_INDIRECT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_NEXT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_WRITE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import virtio.spec.VirtioFeatures;

/** Bug classes other virtqueue implementations shipped, each pinned by a test named for it. */
class RegressionTest {

    @Test
    void zeroLengthDescriptorIsAcceptedAndTouchesNoMemory() {
        try (RawSplit r = new RawSplit(8)) {
            // the zero-length descriptor points nowhere mapped: it must not be resolved
            r.desc(0, 0xDEAD_0000L, 0, VIRTQ_DESC_F_NEXT, 1).desc(1, DATA, 8, 0, 0).publish(0);
            DescriptorChain c = r.device.pop();
            assertThat(c).isNotNull();
            assertThat(c.readableCount()).isEqualTo(1);
            assertThat(c.readableBytes()).isEqualTo(8);
            assertThat(c.descriptorCount()).isEqualTo(2);
        }
    }

    @Test
    void zeroLengthWritableDescriptorStillForbidsReadableOnesAfterIt() {
        try (RawSplit r = new RawSplit(8)) {
            r.desc(0, DATA, 0, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1).desc(1, DATA, 8, 0, 0).publish(0);
            assertThat(r.device.pop()).isNull();
            assertThat(r.device.brokenReason()).isEqualTo(RingError.READABLE_AFTER_WRITABLE);
        }
    }

    @Test
    void hugeLengthDescriptorPastItsMappingIsRefusedNotRead() {
        try (RawSplit r = new RawSplit(8)) {
            r.desc(0, DATA, -1, VIRTQ_DESC_F_WRITE, 0).publish(0);
            assertThat(r.device.pop()).isNull();
            assertThat(r.device.brokenReason()).isEqualTo(RingError.UNMAPPED_ADDRESS);
        }
    }

    @Test
    void chainExceedingTheQueueThroughAnIndirectTableIsRefused() {
        try (RawSplit r = new RawSplit(4, VirtioFeatures.VIRTIO_F_INDIRECT_DESC)) {
            // a table of 8 entries chained 0..7 without a loop: longer than the queue size 4
            for (int i = 0; i < 8; i++) {
                RawSplit.write(r.data, 0x1000 + 16L * i, DATA, 1, i < 7 ? VIRTQ_DESC_F_NEXT : 0, i + 1);
            }
            r.desc(0, DATA + 0x1000, 8 * 16, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
            assertThat(r.device.pop()).isNull();
            assertThat(r.device.brokenReason()).isEqualTo(RingError.INDIRECT_CHAIN_TOO_LONG);
        }
    }

    @Test
    void partlyMappedBufferIsRefused() {
        try (RawSplit r = new RawSplit(8)) {
            long lastBytes = RawSplit.BASE + 0x20000 - 4;
            r.desc(0, lastBytes, 8, 0, 0).publish(0);
            assertThat(r.device.pop()).isNull();
            assertThat(r.device.brokenReason()).isEqualTo(RingError.UNMAPPED_ADDRESS);
        }
    }

    @Test
    void bufferAcrossTwoAdjacentMappingsBecomesTwoParts() {
        try (RawSplit r = new RawSplit(8)) {
            MemorySegment next = Arena.ofAuto().allocate(64);
            next.setString(0, "tail", StandardCharsets.US_ASCII);
            r.space.map(RawSplit.BASE + 0x20000, next, AddressSpace.READ);
            r.pool.segment().asSlice(0x20000 - 5).setString(0, "head", StandardCharsets.US_ASCII);
            r.desc(0, RawSplit.BASE + 0x20000 - 5, 9, 0, 0).publish(0);
            DescriptorChain c = r.device.pop();
            assertThat(c.readableCount()).isEqualTo(2);
            assertThat(Rig.readAll(c)).isEqualTo("head\0tail");
        }
    }

    @Test
    void indirectTableAcrossTwoMappingsIsRefused() {
        try (RawSplit r = new RawSplit(8, VirtioFeatures.VIRTIO_F_INDIRECT_DESC)) {
            r.space.map(RawSplit.BASE + 0x20000, Arena.ofAuto().allocate(64), AddressSpace.READ);
            r.desc(0, RawSplit.BASE + 0x20000 - 16, 32, VIRTQ_DESC_F_INDIRECT, 0).publish(0);
            assertThat(r.device.pop()).isNull();
            assertThat(r.device.brokenReason()).isEqualTo(RingError.UNMAPPED_ADDRESS);
        }
    }

    @Test
    void headerSplitAcrossDescriptorsIsGatheredWhole() {
        try (RawSplit r = new RawSplit(8)) {
            // a 12-byte virtio-net header in 5 + 3 + 4 byte pieces, then the payload
            byte[] header = "HEADER-12345".getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(MemorySegment.ofArray(header), 0, r.data, 0x100, 5);
            MemorySegment.copy(MemorySegment.ofArray(header), 5, r.data, 0x200, 3);
            MemorySegment.copy(MemorySegment.ofArray(header), 8, r.data, 0x300, 4);
            r.data.asSlice(0x400).setString(0, "payload", StandardCharsets.US_ASCII);
            r.desc(0, DATA + 0x100, 5, VIRTQ_DESC_F_NEXT, 3).desc(3, DATA + 0x200, 3, VIRTQ_DESC_F_NEXT, 6)
                    .desc(6, DATA + 0x300, 4, VIRTQ_DESC_F_NEXT, 2).desc(2, DATA + 0x400, 7, 0, 0).publish(0);
            DescriptorChain c = r.device.pop();
            byte[] got = new byte[12];
            assertThat(c.copyFromReadable(0, MemorySegment.ofArray(got), 0, 12)).isEqualTo(12);
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("HEADER-12345");
            byte[] rest = new byte[20];
            assertThat(c.copyFromReadable(12, MemorySegment.ofArray(rest), 0, 20)).isEqualTo(7);
            assertThat(new String(rest, 0, 7, StandardCharsets.US_ASCII)).isEqualTo("payload");
        }
    }

    @Test
    void writeAcrossWritableDescriptorsScattersAndStopsAtTheirEnd() {
        try (RawSplit r = new RawSplit(8)) {
            r.desc(0, DATA + 0x100, 3, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1)
                    .desc(1, DATA + 0x200, 4, VIRTQ_DESC_F_WRITE, 0).publish(0);
            DescriptorChain c = r.device.pop();
            byte[] src = "0123456789".getBytes(StandardCharsets.US_ASCII);
            assertThat(c.copyToWritable(1, MemorySegment.ofArray(src), 0, 10)).isEqualTo(6);
            assertThat(new String(r.data.asSlice(0x101, 2).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.US_ASCII)).isEqualTo("01");
            assertThat(new String(r.data.asSlice(0x200, 4).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    StandardCharsets.US_ASCII)).isEqualTo("2345");
        }
    }

    @Test
    void descriptorRewrittenAfterPopCannotChangeTheValidatedChain() {
        try (RawSplit r = new RawSplit(8)) {
            r.desc(0, DATA, 8, 0, 0).publish(0);
            DescriptorChain c = r.device.pop();
            // a double-fetch attack: the driver rewrites the descriptor after validation
            r.desc(0, 0xDEAD_0000L, 0x7FFF_FFFF, VIRTQ_DESC_F_WRITE, 0);
            assertThat(c.readableBytes()).isEqualTo(8);
            assertThat(c.writableCount()).isZero();
        }
    }

    @Test
    void unmappedMemoryIsRefusedOnTheNextPop() {
        try (RawSplit r = new RawSplit(8)) {
            MemorySegment extra = Arena.ofAuto().allocate(64);
            r.space.map(0x7000_0000L, extra, AddressSpace.READ);
            r.desc(0, 0x7000_0000L, 8, 0, 0).desc(1, 0x7000_0000L, 8, 0, 0).publish(0);
            assertThat(r.device.pop()).isNotNull();
            r.space.unmap(0x7000_0000L, 64);
            r.publish(1);
            assertThat(r.device.pop()).isNull();
            assertThat(r.device.brokenReason()).isEqualTo(RingError.UNMAPPED_ADDRESS);
        }
    }
}
