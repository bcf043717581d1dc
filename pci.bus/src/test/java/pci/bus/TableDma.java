package pci.bus;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A DMA window that is only its table of mappings, checked as {@link PciDma} says: for tests. */
public final class TableDma implements PciDma {

    private final long first;
    private final long last;
    private final List<Mapping> mappings = new ArrayList<>();

    public TableDma(long first, long last) {
        this.first = first;
        this.last = last;
    }

    @Override public long first() { return first; }
    @Override public long last() { return last; }

    @Override
    public synchronized void map(long iova, MemorySegment memory, int permission) {
        long size = memory.byteSize();
        if (size <= 0 || (permission & (READ | WRITE)) == 0 || (permission & ~(READ | WRITE)) != 0) {
            throw new IllegalArgumentException("empty mapping or bad permission " + permission);
        }
        long end = iova + size - 1;
        if (Long.compareUnsigned(iova, first) < 0 || Long.compareUnsigned(end, last) > 0 || Long.compareUnsigned(end, iova) < 0) {
            throw new IllegalArgumentException("mapping leaves the window");
        }
        for (Mapping m : mappings) {
            if (Long.compareUnsigned(iova, m.iova() + m.size() - 1) <= 0 && Long.compareUnsigned(m.iova(), end) <= 0) {
                throw new IllegalArgumentException("mapping overlaps 0x" + Long.toHexString(m.iova()));
            }
        }
        mappings.add(new Mapping(iova, size, permission));
        mappings.sort(Comparator.comparing(Mapping::iova, Long::compareUnsigned));
    }

    @Override
    public synchronized void unmap(long iova, long size) {
        mappings.removeIf(m -> Long.compareUnsigned(m.iova(), iova) >= 0
                && Long.compareUnsigned(m.iova() + m.size() - 1, iova + size - 1) <= 0);
    }

    @Override
    public synchronized List<Mapping> mappings() {
        return new ArrayList<>(mappings);
    }
}
