package pci.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule a DMA window applies to a mapping, with the unsigned arithmetic hostile sizes need. */
class PciDmaTest {

    static final List<PciDma.Mapping> ONE = List.of(new PciDma.Mapping(0x10000, 0x1000, PciDma.READ));

    @Test
    void aMappingInsideTheWindowBesideTheOthersIsTaken() {
        PciDma.checkMapping(0, -2L, ONE, 0x11000, 0x1000, PciDma.READ | PciDma.WRITE);
        PciDma.checkMapping(0, -2L, ONE, 0xf000, 0x1000, PciDma.WRITE);
        PciDma.checkMapping(0x1000, 0x1fff, List.of(), 0x1000, 0x1000, PciDma.READ);
    }

    @Test
    void overlapsWrapsRangesOutsideTheWindowAndBadPermissionsAreRefused() {
        assertThatThrownBy(() -> PciDma.checkMapping(0, -2L, ONE, 0x10fff, 2, PciDma.READ)).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> PciDma.checkMapping(0, -2L, ONE, 0xfff0, 0x20, PciDma.READ)).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> PciDma.checkMapping(0, -1L, List.of(), -0x1000L, 0x2000, PciDma.READ)).hasMessageContaining("leave");
        assertThatThrownBy(() -> PciDma.checkMapping(0x1000, 0x1fff, List.of(), 0x1800, 0x1000, PciDma.READ)).hasMessageContaining("leave");
        assertThatThrownBy(() -> PciDma.checkMapping(0x1000, 0x1fff, List.of(), 0, 0x1000, PciDma.READ)).hasMessageContaining("leave");
        assertThatThrownBy(() -> PciDma.checkMapping(0, -2L, List.of(), 0, 0, PciDma.READ)).hasMessageContaining("leave");
        assertThatThrownBy(() -> PciDma.checkMapping(0, -2L, List.of(), 0, 16, 0)).hasMessageContaining("permission 0");
        assertThatThrownBy(() -> PciDma.checkMapping(0, -2L, List.of(), 0, 16, 4)).hasMessageContaining("permission 4");
    }

    @Test
    void unmapRemovesWhatLiesInsideItsRange() {
        PciDma.Mapping m = ONE.get(0);
        assertThat(PciDma.inside(m, 0x10000, 0x1000)).isTrue();
        assertThat(PciDma.inside(m, 0, 0x20000)).isTrue();
        assertThat(PciDma.inside(m, 0x10000, 0xfff)).isFalse();
        assertThat(PciDma.inside(m, 0x10800, 0x1000)).isFalse();
    }
}
