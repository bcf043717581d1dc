package virtio.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ring layouts' sizes, offsets, queue sizes and area alignments (sections 2.7, 2.8.10.1). */
class VirtqTest {

    @Test
    void splitPartsHaveTheSizesOfTheSpecsTable() {
        assertThat(VirtqSplit.descTableSize(256)).isEqualTo(16 * 256);
        assertThat(VirtqSplit.availRingSize(256)).isEqualTo(6 + 2 * 256);
        assertThat(VirtqSplit.usedRingSize(256)).isEqualTo(6 + 8 * 256);
        assertThat(VirtqSplit.usedEventOffset(8)).isEqualTo(4 + 2 * 8);
        assertThat(VirtqSplit.availEventOffset(8)).isEqualTo(4 + 8 * 8);
    }

    @Test
    void descriptorFieldsFillTheirSixteenBytes() {
        assertThat(VirtqSplit.VIRTQ_DESC_NEXT + 2).isEqualTo(VirtqSplit.VIRTQ_DESC_SIZE);
        assertThat(VirtqSplit.VIRTQ_DESC_FLAGS).isEqualTo(VirtqSplit.VIRTQ_DESC_LEN + 4);
        assertThat(VirtqPacked.PVIRTQ_DESC_FLAGS + 2).isEqualTo(VirtqPacked.PVIRTQ_DESC_SIZE);
        assertThat(VirtqPacked.PVIRTQ_DESC_ID).isEqualTo(VirtqPacked.PVIRTQ_DESC_LEN + 4);
        assertThat(VirtqPacked.descRingSize(5)).isEqualTo(80);
    }

    @Test
    void eventSuppressionDescHoldsOffsetAndWrap() {
        assertThat(VirtqPacked.PVIRTQ_EVENT_OFF_MASK | VirtqPacked.PVIRTQ_EVENT_WRAP).isEqualTo(0xffff);
        assertThat(VirtqPacked.PVIRTQ_EVENT_OFF_MASK & VirtqPacked.PVIRTQ_EVENT_WRAP).isZero();
        assertThat(VirtqPacked.PVIRTQ_EVENT_SUPPRESS_FLAGS + 2).isEqualTo(VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE);
    }

    @Test
    void splitSizesArePowersOfTwoPackedSizesAnyUpTo32768() {
        assertThat(VirtqSplit.isValidSize(256)).isTrue();
        assertThat(VirtqSplit.isValidSize(96)).isFalse();
        assertThat(VirtqSplit.isValidSize(65536)).isFalse();
        assertThat(VirtqPacked.isValidSize(96)).isTrue();
        assertThat(VirtqPacked.isValidSize(32768)).isTrue();
        assertThat(VirtqPacked.isValidSize(32769)).isFalse();
        assertThat(VirtqPacked.isValidSize(0)).isFalse();
    }

    @Test
    void thePackedDriverAreaNeedsFourBytesWhereTheSplitAvailRingNeedsTwo() {
        assertThat(Virtq.misalignment(false, 0x1000, 0x2002, 0x3004)).isNull();
        assertThat(Virtq.misalignment(true, 0x1000, 0x2002, 0x3004))
                .isEqualTo("packed ring driver area 0x2002 is not 4-byte aligned");
        assertThat(Virtq.misalignment(true, 0x1000, 0x2004, 0x3004)).isNull();
    }

    @Test
    void everyMisalignedAreaIsNamed() {
        assertThat(Virtq.misalignment(false, 0x1008, 0x2001, 0x3002)).isEqualTo("split ring descriptor area 0x1008 is not"
                + " 16-byte aligned, driver area 0x2001 is not 2-byte aligned, device area 0x3002 is not 4-byte aligned");
        assertThat(Virtq.misalignment(true, 0x1008, 0x2000, 0x3002)).isEqualTo("packed ring descriptor area 0x1008 is not"
                + " 16-byte aligned, device area 0x3002 is not 4-byte aligned");
    }
}
