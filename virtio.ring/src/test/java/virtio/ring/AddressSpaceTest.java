package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.ring.AddressSpace.READ;
import static virtio.ring.AddressSpace.READ_WRITE;
import static virtio.ring.AddressSpace.WRITE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class AddressSpaceTest {

    private final Arena arena = Arena.ofAuto();
    private final AddressSpace space = new AddressSpace();

    private MemorySegment seg(long size) {
        return arena.allocate(size);
    }

    @Test
    void resolvesAnAddressInsideAMappingToItsSegmentAndOffset() {
        MemorySegment s = seg(0x1000);
        space.map(0x10000, s, READ_WRITE);
        AddressSpace.Resolver r = space.resolver();
        assertThat(r.resolve(0x10010, 16, READ)).isEqualTo(16);
        assertThat(r.segment()).isSameAs(s);
        assertThat(r.offset()).isEqualTo(0x10);
    }

    @Test
    void reportsHowMuchLiesInTheMappingWhenTheRangeRunsPastIt() {
        space.map(0x10000, seg(0x1000), READ);
        assertThat(space.resolver().resolve(0x10FF0, 64, READ)).isEqualTo(16);
    }

    @Test
    void addressOutsideEveryMappingIsNotMapped() {
        space.map(0x10000, seg(0x1000), READ);
        AddressSpace.Resolver r = space.resolver();
        assertThat(r.resolve(0xFFFF, 1, READ)).isEqualTo(AddressSpace.Resolver.NOT_MAPPED);
        assertThat(r.resolve(0x11000, 1, READ)).isEqualTo(AddressSpace.Resolver.NOT_MAPPED);
        assertThat(new AddressSpace().resolver().resolve(0, 1, READ)).isEqualTo(AddressSpace.Resolver.NOT_MAPPED);
    }

    @Test
    void accessAgainstPermissionIsDenied() {
        space.map(0x10000, seg(0x1000), READ);
        space.map(0x20000, seg(0x1000), WRITE);
        AddressSpace.Resolver r = space.resolver();
        assertThat(r.resolve(0x10000, 1, WRITE)).isEqualTo(AddressSpace.Resolver.DENIED);
        assertThat(r.resolve(0x20000, 1, READ)).isEqualTo(AddressSpace.Resolver.DENIED);
        assertThat(r.resolve(0x20000, 1, READ_WRITE)).isEqualTo(AddressSpace.Resolver.DENIED);
        assertThat(r.resolve(0x20000, 1, WRITE)).isEqualTo(1);
    }

    @Test
    void overlappingMappingsAreRefusedAdjacentOnesAccepted() {
        space.map(0x10000, seg(0x1000), READ);
        assertThatThrownBy(() -> space.map(0x10FFF, seg(2), READ)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> space.map(0xF001, seg(0x1000), READ)).isInstanceOf(IllegalArgumentException.class);
        space.map(0x11000, seg(0x1000), READ);
        space.map(0xF000, seg(0x1000), READ);
        assertThat(space.mappings()).extracting(AddressSpace.Mapping::iova).containsExactly(0xF000L, 0x10000L, 0x11000L);
    }

    @Test
    void mappingThatWrapsOrWritesReadOnlyMemoryIsRefused() {
        assertThatThrownBy(() -> space.map(-0x800L, seg(0x1000), READ)).isInstanceOf(IllegalArgumentException.class);
        MemorySegment ro = seg(16).asReadOnly();
        assertThatThrownBy(() -> space.map(0, ro, WRITE)).isInstanceOf(IllegalArgumentException.class);
        space.map(0, ro, READ);
    }

    @Test
    void highAddressesOrderAsUnsigned() {
        space.map(0x8000_0000_0000_0000L, seg(0x1000), READ);
        space.map(0x1000, seg(0x1000), READ);
        space.map(0xFFFF_FFFF_0000_0000L, seg(0x1000), READ);
        AddressSpace.Resolver r = space.resolver();
        assertThat(r.resolve(0x8000_0000_0000_0010L, 1, READ)).isEqualTo(1);
        assertThat(r.resolve(0xFFFF_FFFF_0000_0FFFL, 1, READ)).isEqualTo(1);
        assertThat(r.resolve(0x1FFF, 1, READ)).isEqualTo(1);
        assertThat(r.resolve(0x7FFF_FFFF_FFFF_FFFFL, 1, READ)).isEqualTo(AddressSpace.Resolver.NOT_MAPPED);
    }

    @Test
    void unmapRemovesAMappingAndTheCachedHitWithIt() {
        space.map(0x10000, seg(0x1000), READ);
        AddressSpace.Resolver r = space.resolver();
        assertThat(r.resolve(0x10000, 1, READ)).isEqualTo(1);
        space.unmap(0x10000, 0x1000);
        assertThat(r.resolve(0x10000, 1, READ)).isEqualTo(AddressSpace.Resolver.NOT_MAPPED);
        assertThat(space.mappings()).isEmpty();
    }

    @Test
    void unmapOfTheMiddleKeepsBothEnds() {
        MemorySegment s = seg(0x3000);
        space.map(0x10000, s, READ_WRITE);
        space.unmap(0x11000, 0x1000);
        AddressSpace.Resolver r = space.resolver();
        assertThat(r.resolve(0x10FFF, 1, READ)).isEqualTo(1);
        assertThat(r.resolve(0x11000, 1, READ)).isEqualTo(AddressSpace.Resolver.NOT_MAPPED);
        assertThat(r.resolve(0x12000, 1, READ)).isEqualTo(1);
        assertThat(r.segment().address() + r.offset()).isEqualTo(s.address() + 0x2000);
        assertThat(space.mappings()).hasSize(2);
    }

    @Test
    void aMappingPublishedOnAnotherThreadIsSeen() throws Exception {
        AddressSpace.Resolver r = space.resolver();
        Thread t = Thread.ofPlatform().start(() -> space.map(0x5000, seg(16), READ));
        t.join();
        assertThat(r.resolve(0x5000, 16, READ)).isEqualTo(16);
    }

    @Test
    void replaceSwapsTheWholeTableOrNothing() {
        AddressSpace space = new AddressSpace();
        space.map(0x1000, seg(16), READ);
        MemorySegment readOnly = seg(16).asReadOnly();
        // overlapping entries, then WRITE on a read-only segment: each refused, the old table kept
        assertThatThrownBy(() -> space.replace(java.util.List.of(
                new AddressSpace.Region(0x2000, seg(32), READ_WRITE), new AddressSpace.Region(0x2010, seg(16), READ))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> space.replace(java.util.List.of(new AddressSpace.Region(0x3000, readOnly, WRITE))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        assertThat(space.mappings()).containsExactly(new AddressSpace.Mapping(0x1000, 16, READ));

        space.replace(java.util.List.of(new AddressSpace.Region(0x9000, seg(8), WRITE), new AddressSpace.Region(0x2000, seg(8), READ)));
        assertThat(space.mappings()).containsExactly(new AddressSpace.Mapping(0x2000, 8, READ),
                new AddressSpace.Mapping(0x9000, 8, WRITE));
        space.replace(java.util.List.of());
        assertThat(space.mappings()).isEmpty();
    }
}
