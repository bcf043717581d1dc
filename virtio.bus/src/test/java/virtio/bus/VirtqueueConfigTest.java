package virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What a queue description must satisfy before any transport sees it. */
class VirtqueueConfigTest {

    @Test
    void theRecordHoldsEveryLayoutToTheSplitRingsAlignments() {
        // a 2-aligned driver area is a valid split available ring; a packed transport refuses it later
        assertThat(new VirtqueueConfig(0, "q", 8, 0x1000, 0x2002, 0x3004, null).driverArea()).isEqualTo(0x2002);
        assertThatThrownBy(() -> new VirtqueueConfig(0, "q", 8, 0x1000, 0x2001, 0x3004, null))
                .hasMessage("queue 0 is misaligned for either layout: split ring driver area 0x2001 is not 2-byte aligned");
        assertThatThrownBy(() -> new VirtqueueConfig(1, "q", 8, 0x1008, 0x2000, 0x3002, null))
                .hasMessageContaining("descriptor area 0x1008 is not 16-byte aligned, device area 0x3002 is not 4-byte aligned");
    }

    @Test
    void sizesAreOneTo32768() {
        assertThatThrownBy(() -> new VirtqueueConfig(0, "q", 0, 0x1000, 0x2000, 0x3000, null)).hasMessageContaining("1..32768");
        assertThatThrownBy(() -> new VirtqueueConfig(0, "q", 32769, 0x1000, 0x2000, 0x3000, null)).hasMessageContaining("1..32768");
        assertThat(new VirtqueueConfig(0, "q", 32768, 0x1000, 0x2000, 0x3000, null).size()).isEqualTo(32768);
    }
}
