package virtio.ring.fuzz;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import virtio.ring.AddressSpace;

/**
 * The harness's own record of what it mapped, kept beside the {@link AddressSpace} under test: the
 * oracle for "every part lies inside a mapping with the right permission" and "nothing outside a
 * writable mapping changes". Regions are host memory ranges, so aliases (one buffer mapped at two
 * IOVAs) are handled.
 */
final class AddressModel {

    record Region(long iova, long host, long size, int permission) {
        long last() {
            return iova + size - 1;
        }
    }

    private final List<Region> regions = new ArrayList<>();

    void mapped(long iova, MemorySegment segment, int permission) {
        regions.add(new Region(iova, segment.address(), segment.byteSize(), permission));
    }

    /** Mirrors {@link AddressSpace#unmap}: straddling regions keep their parts outside the range. */
    void unmapped(long iova, long size) {
        if (size <= 0) {
            return;
        }
        long last = Long.compareUnsigned(iova + size - 1, iova) < 0 ? -1L : iova + size - 1;
        List<Region> kept = new ArrayList<>();
        for (Region r : regions) {
            if (Long.compareUnsigned(r.last(), iova) < 0 || Long.compareUnsigned(r.iova, last) > 0) {
                kept.add(r);
                continue;
            }
            if (Long.compareUnsigned(r.iova, iova) < 0) {
                kept.add(new Region(r.iova, r.host, iova - r.iova, r.permission));
            }
            if (Long.compareUnsigned(r.last(), last) > 0) {
                kept.add(new Region(last + 1, r.host + (last + 1 - r.iova), r.last() - last, r.permission));
            }
        }
        regions.clear();
        regions.addAll(kept);
    }

    /** The address space lists exactly the model's mappings. */
    void checkAgainst(AddressSpace space) {
        List<AddressSpace.Mapping> want = regions.stream()
                .sorted(Comparator.comparing(Region::iova, Long::compareUnsigned))
                .map(r -> new AddressSpace.Mapping(r.iova, r.size, r.permission)).toList();
        Check.that(space.mappings().equals(want), "address space %s, expected %s", space.mappings(), want);
    }

    /** Whether host bytes {@code [host, host + length)} lie in one region that grants {@code permission}. */
    boolean covers(long host, long length, int permission) {
        for (Region r : regions) {
            if ((r.permission & permission) == permission && host >= r.host && host + length <= r.host + r.size) {
                return true;
            }
        }
        return false;
    }
}
