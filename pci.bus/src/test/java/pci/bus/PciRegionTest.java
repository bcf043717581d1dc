package pci.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PciRegionTest {

    /** Records what reaches the provider. */
    final List<String> seen = new ArrayList<>();
    final PciRegion bar = new PciRegion(0x100, 8, new PciRegion.Access() {
        @Override
        public long read(long offset, int width) {
            seen.add("r" + width + "@" + offset);
            return 0xfedcba9876543210L & (width == 8 ? -1L : (1L << (8 * width)) - 1);
        }

        @Override
        public void write(long offset, int width, long value) {
            seen.add("w" + width + "@" + offset + "=" + Long.toHexString(value));
        }
    });

    @Test
    void accessesInsideTheRegionReachTheProviderWithTheirWidth() {
        assertThat(bar.read8(0)).isEqualTo(0x10);
        assertThat(bar.read16(0xfe)).isEqualTo(0x3210);
        assertThat(bar.read32(0xfc)).isEqualTo(0x76543210);
        assertThat(bar.read64(0xf8)).isEqualTo(0xfedcba9876543210L);
        bar.write32(4, 0xffff_ffff);
        assertThat(seen).containsExactly("r1@0", "r2@254", "r4@252", "r8@248", "w4@4=ffffffff");
    }

    @Test
    void anAccessThatLeavesTheRegionIsRefusedBeforeTheProviderSeesIt() {
        assertThatThrownBy(() -> bar.read32(0xfd)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("0xfd");
        assertThatThrownBy(() -> bar.read8(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bar.write64(Long.MAX_VALUE - 3, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> bar.read8(0x100)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(seen).isEmpty();
    }

    @Test
    void widthsOtherThanOneTwoFourOrEightAreRefusedAndConfigSpaceTakesNoEight() {
        assertThatThrownBy(() -> bar.read(0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bar.write(0, 16, 0)).isInstanceOf(IllegalArgumentException.class);
        PciRegion config = new PciRegion(256, 4, new PciRegion.Access() {
            @Override public long read(long offset, int width) { seen.add("config"); return 0; }
            @Override public void write(long offset, int width, long value) { seen.add("config"); }
        });
        assertThatThrownBy(() -> config.read64(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1, 2, 4 bytes");
        assertThat(seen).isEmpty();
    }

    @Test
    void containsNeverOverflows() {
        assertThat(bar.contains(0, 0x100)).isTrue();
        assertThat(bar.contains(1, 0x100)).isFalse();
        assertThat(bar.contains(0x80, Long.MAX_VALUE)).isFalse();
        assertThat(bar.contains(Long.MAX_VALUE, 2)).isFalse();
        assertThat(bar.contains(-4, 4)).isFalse();
    }
}
