package vdpa.bus;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole address space's translations, as {@link VdpaSetMapOps#setMap} takes them (the kernel's
 * struct vhost_iotlb): mappings sorted by IOVA, none overlapping another.
 *
 * @param mappings the translations, sorted by IOVA (unsigned)
 */
public record Iotlb(List<IotlbMapping> mappings) {

    /** An empty address space: every access faults. */
    public static final Iotlb EMPTY = new Iotlb(List.of());

    /** Sorts and checks the mappings. */
    public Iotlb {
        List<IotlbMapping> sorted = new ArrayList<>(mappings);
        sorted.sort((a, b) -> Long.compareUnsigned(a.iova(), b.iova()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).overlaps(sorted.get(i))) {
                throw new IllegalArgumentException("mappings overlap at IOVA 0x" + Long.toHexString(sorted.get(i).iova()));
            }
        }
        mappings = List.copyOf(sorted);
    }

    /** The mapping holding {@code iova}, or {@code null}. */
    public IotlbMapping find(long iova) {
        for (IotlbMapping m : mappings) {
            if (Long.compareUnsigned(iova, m.iova()) >= 0 && Long.compareUnsigned(iova, m.last()) <= 0) {
                return m;
            }
        }
        return null;
    }
}
