package vdpa.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class IotlbTest {

    @Test
    void mappingsAreSortedAndFound() {
        IotlbMapping a = new IotlbMapping(0x2000, 0x1000, 0x9000, IotlbPermission.RO);
        IotlbMapping b = new IotlbMapping(0x0, 0x1000, 0x5000, IotlbPermission.RW);
        Iotlb t = new Iotlb(List.of(a, b));
        assertThat(t.mappings()).containsExactly(b, a);
        assertThat(t.find(0x2fff)).isEqualTo(a);
        assertThat(t.find(0x1000)).isNull();
    }

    @Test
    void overlapsWrapsAndShortSegmentsAreRefused() {
        IotlbMapping a = new IotlbMapping(0x1000, 0x1000, 0, IotlbPermission.RW);
        IotlbMapping b = new IotlbMapping(0x1fff, 0x10, 0, IotlbPermission.RW);
        assertThatThrownBy(() -> new Iotlb(List.of(a, b))).hasMessageContaining("overlap");
        assertThatThrownBy(() -> new IotlbMapping(-16, 32, 0, IotlbPermission.RO)).hasMessageContaining("wraps");
        assertThatThrownBy(() -> new IotlbMapping(0, 4096, 0, IotlbPermission.RO, MemorySegment.ofArray(new byte[16])))
                .hasMessageContaining("segment of 16 bytes");
    }

    @Test
    void iovaRangeContainsIsUnsignedAndRefusesWraps() {
        IovaRange r = new IovaRange(0x1000, 0xffff_ffff_ffff_fffeL);
        assertThat(r.contains(0x1000, 0x10)).isTrue();
        assertThat(r.contains(0xffff_ffff_ffff_fff0L, 0x10)).isFalse();
        assertThat(IovaRange.FULL.contains(-16, 16)).isTrue();
        assertThat(IovaRange.FULL.contains(-16, 17)).isFalse();
        assertThatThrownBy(() -> new IovaRange(-1, 0)).hasMessageContaining("first");
    }

    @Test
    void permissionsHaveTheUapiValues() {
        assertThat(IotlbPermission.RO.value()).isEqualTo(1);
        assertThat(IotlbPermission.WO.value()).isEqualTo(2);
        assertThat(IotlbPermission.RW.readable() && IotlbPermission.RW.writable()).isTrue();
        assertThat(IotlbPermission.WO.readable()).isFalse();
    }

    @Test
    void packedStateIndicesAre15Bit() {
        assertThatThrownBy(() -> new VqState.Packed(0x8000, false, 0, false)).hasMessageContaining("15-bit");
        assertThatThrownBy(() -> new VqState.Split(0x10000)).hasMessageContaining("avail index");
    }
}
