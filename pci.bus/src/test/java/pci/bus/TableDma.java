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
        PciDma.checkMapping(first, last, mappings, iova, memory.byteSize(), permission);
        mappings.add(new Mapping(iova, memory.byteSize(), permission));
        mappings.sort(Comparator.comparing(Mapping::iova, Long::compareUnsigned));
    }

    @Override
    public synchronized void unmap(long iova, long size) {
        mappings.removeIf(m -> PciDma.inside(m, iova, size));
    }

    @Override
    public synchronized List<Mapping> mappings() {
        return new ArrayList<>(mappings);
    }
}
