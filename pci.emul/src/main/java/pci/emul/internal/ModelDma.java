package pci.emul.internal;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import pci.bus.PciDma;
import vdpa.bus.IotlbMapping;
import vdpa.bus.IotlbPermission;
import vdpa.bus.IovaRange;
import vdpa.sim.model.NetModel;

/**
 * An emulated function's DMA window: the driver's mappings, installed in the device model's one
 * address space, so the model's rings and buffers resolve only through them. Like a real
 * function's, its DMA depends on Bus Master Enable: while Command has it off the model's address
 * space is empty (every access faults), and turning it on installs the mappings again.
 */
final class ModelDma implements PciDma {

    private static final int ASID = 0;

    /** A mapping and the memory behind it. */
    private record Entry(long iova, MemorySegment memory, int permission) {}

    private final NetModel model;
    private final IovaRange range;
    private final List<Entry> entries = new ArrayList<>();
    private boolean master;

    ModelDma(NetModel model) {
        this.model = model;
        this.range = model.getIovaRange();
    }

    @Override public long first() { return range.first(); }
    @Override public long last() { return range.last(); }

    @Override
    public synchronized void map(long iova, MemorySegment memory, int permission) {
        PciDma.checkMapping(range.first(), range.last(), mappings(), iova, memory.byteSize(), permission);
        Entry e = new Entry(iova, memory, permission);
        if (master) {
            install(e);
        }
        entries.add(e);
        entries.sort(Comparator.comparing(Entry::iova, Long::compareUnsigned));
    }

    @Override
    public synchronized void unmap(long iova, long size) {
        for (var it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            long n = e.memory().byteSize();
            if (PciDma.inside(new Mapping(e.iova(), n, e.permission()), iova, size)) {
                if (master) {
                    model.dmaUnmap(ASID, e.iova(), n);
                }
                it.remove();
            }
        }
    }

    @Override
    public synchronized List<Mapping> mappings() {
        return entries.stream().map(e -> new Mapping(e.iova(), e.memory().byteSize(), e.permission())).toList();
    }

    /** Bus Master Enable changed: the model reaches the mappings only while it is on. */
    synchronized void master(boolean on) {
        if (on == master) {
            return;
        }
        master = on;
        if (on) {
            entries.forEach(this::install);
        } else {
            model.resetMap(ASID);
        }
    }

    /** Takes every mapping out, for a function going away. */
    synchronized void clear() {
        entries.clear();
        model.resetMap(ASID);
    }

    private void install(Entry e) {
        IotlbPermission p = switch (e.permission()) {
            case READ -> IotlbPermission.RO;
            case WRITE -> IotlbPermission.WO;
            default -> IotlbPermission.RW;
        };
        model.dmaMap(ASID, new IotlbMapping(e.iova(), e.memory().byteSize(), e.memory().address(), p, e.memory()));
    }
}
