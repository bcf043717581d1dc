package pci.vfio.internal;

import static pci.vfio.internal.VfioUapi.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import linux.ffm.Fd;
import linux.ffm.Files;
import linux.ffm.LinuxException;
import linux.ffm.Mapping;
import pci.bus.PciAddress;
import pci.bus.PciBar;
import pci.bus.PciDevice;
import pci.bus.PciDma;
import pci.bus.PciMsix;
import pci.bus.PciRegion;
import pci.bus.PciRegs;
import pci.vfio.PciVfio;

/**
 * A real function opened through VFIO: configuration space is the device's config region (pread
 * and pwrite at its offset: the kernel filters what a user may change), each BAR its region,
 * mapped where VFIO allows it (aligned accesses then go straight to the device, with volatile
 * semantics so none is cached or elided) and otherwise read and written through the fd; MSI-X by
 * eventfds ({@link VfioMsix}); DMA through the container's IOMMU ({@link VfioDma}). A failed
 * access (the function went away) reads all ones, as a master abort does.
 */
final class VfioFunction implements PciDevice {

    private static final System.Logger LOG = System.getLogger("pci.vfio");

    private final PciAddress address;
    private final Fd device;
    private final PciRegion config;
    private final List<PciBar> bars = new ArrayList<>();
    private final List<Mapping> mappings = new ArrayList<>();
    private final VfioMsix msix;
    private final VfioDma dma;

    VfioFunction(PciAddress address, Fd device, VfioDma dma) throws IOException {
        this.address = address;
        this.device = device;
        this.dma = dma;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = a.allocate(DEVICE_INFO_SIZE, 8);
            VfioUapi.deviceInfo(info);
            VfioUapi.ioctl(device, VFIO_DEVICE_GET_INFO, info, address.toString());
            DeviceInfo d = VfioUapi.deviceInfoOf(info);
            if ((d.flags() & VFIO_DEVICE_FLAGS_PCI) == 0 || d.regions() <= VFIO_PCI_CONFIG_REGION_INDEX) {
                throw new IOException(address + " is not a PCI device to VFIO (flags 0x" + Integer.toHexString(d.flags()) + ")");
            }
            RegionInfo cfg = region(a, VFIO_PCI_CONFIG_REGION_INDEX);
            long size = Math.min(cfg.size(), PciRegs.PCI_CFG_SPACE_EXP_SIZE);
            this.config = new PciRegion(size, 4, new FdAccess(cfg.offset()));
            for (int i = 0; i < 6; i++) {
                RegionInfo r = region(a, VFIO_PCI_BAR0_REGION_INDEX + i);
                if (r.size() == 0) {
                    continue;
                }
                int bar = config.read32(PciRegs.barOffset(i));
                boolean io = (bar & PciRegs.PCI_BASE_ADDRESS_SPACE_IO) != 0;
                PciBar.Type type = io ? PciBar.Type.IO
                        : (bar & PciRegs.PCI_BASE_ADDRESS_MEM_TYPE_64) != 0 ? PciBar.Type.MEM64 : PciBar.Type.MEM32;
                long addr = io ? bar & ~3L : bar & 0xffff_fff0L;
                if (type == PciBar.Type.MEM64) {
                    addr |= (long) config.read32(PciRegs.barOffset(i + 1)) << 32;
                }
                PciRegion.Access access = new FdAccess(r.offset());
                if (!io && r.mappable()) {
                    try {
                        Mapping m = Mapping.map(device, r.size(), Mapping.PROT_READ | Mapping.PROT_WRITE, Mapping.MAP_SHARED, r.offset());
                        mappings.add(m);
                        access = new MappedAccess(m.segment(), access);
                    } catch (LinuxException e) {
                        LOG.log(System.Logger.Level.INFO, "{0}: BAR {1} not mapped ({2}): accessed through the fd", address, i, e.getMessage());
                    }
                }
                bars.add(new PciBar(i, type, !io && (bar & PciRegs.PCI_BASE_ADDRESS_MEM_PREFETCH) != 0, addr,
                        new PciRegion(r.size(), io ? 4 : 8, access)));
                if (type == PciBar.Type.MEM64) {
                    i++;
                }
            }
            MemorySegment irq = a.allocate(IRQ_INFO_SIZE, 8);
            VfioUapi.irqInfo(irq, VFIO_PCI_MSIX_IRQ_INDEX);
            VfioUapi.ioctl(device, VFIO_DEVICE_GET_IRQ_INFO, irq, address + " MSI-X");
            IrqInfo msixInfo = VfioUapi.irqInfoOf(irq);
            this.msix = msixInfo.count() > 0 && (msixInfo.flags() & VFIO_IRQ_INFO_EVENTFD) != 0
                    ? new VfioMsix(address.toString(), msixInfo.count(), new SetIrqs()) : null;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private RegionInfo region(Arena a, int index) throws LinuxException {
        MemorySegment s = a.allocate(REGION_INFO_SIZE, 8);
        VfioUapi.regionInfo(s, index);
        VfioUapi.ioctl(device, VFIO_DEVICE_GET_REGION_INFO, s, address + " region " + index);
        return VfioUapi.regionInfoOf(s);
    }

    /** One access's bytes, per thread, with a view for each width: a kick through an unmapped BAR allocates nothing. */
    private static final ThreadLocal<MemorySegment[]> WORD = ThreadLocal.withInitial(() -> {
        MemorySegment w = Arena.ofAuto().allocate(8, 8);
        return new MemorySegment[] {w.asSlice(0, 1), w.asSlice(0, 2), w.asSlice(0, 4), w};
    });

    /** A region read and written with pread and pwrite at its offset of the device fd. */
    private final class FdAccess implements PciRegion.Access {
        private final long base;

        FdAccess(long base) {
            this.base = base;
        }

        @Override
        public long read(long offset, int width) {
            MemorySegment[] views = WORD.get();
            MemorySegment b = views[3];
            try {
                if (Files.pread(device, view(views, width), base + offset) != width) {
                    return allOnes(width);
                }
                return switch (width) {
                    case 1 -> b.get(ValueLayout.JAVA_BYTE, 0) & 0xffL;
                    case 2 -> b.get(ValueLayout.JAVA_SHORT, 0) & 0xffffL;
                    case 4 -> b.get(ValueLayout.JAVA_INT, 0) & 0xffff_ffffL;
                    default -> b.get(ValueLayout.JAVA_LONG, 0);
                };
            } catch (LinuxException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: read failed: {1}", address, e.getMessage());
                return allOnes(width);
            }
        }

        @Override
        public void write(long offset, int width, long value) {
            MemorySegment[] views = WORD.get();
            try {
                views[3].set(ValueLayout.JAVA_LONG, 0, value);
                Files.pwrite(device, view(views, width), base + offset);
            } catch (LinuxException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: write failed: {1}", address, e.getMessage());
            }
        }
    }

    /** A mapped BAR: aligned accesses are volatile loads and stores of the mapping; others go through the fd. */
    private static final class MappedAccess implements PciRegion.Access {
        private static final VarHandle B = ValueLayout.JAVA_BYTE.varHandle();
        private static final VarHandle S = ValueLayout.JAVA_SHORT.varHandle();
        private static final VarHandle I = ValueLayout.JAVA_INT.varHandle();
        private static final VarHandle L = ValueLayout.JAVA_LONG.varHandle();
        private final MemorySegment bar;
        private final PciRegion.Access unaligned;

        MappedAccess(MemorySegment bar, PciRegion.Access unaligned) {
            this.bar = bar;
            this.unaligned = unaligned;
        }

        @Override
        public long read(long offset, int width) {
            if (offset % width != 0) {
                return unaligned.read(offset, width);
            }
            return switch (width) {
                case 1 -> (byte) B.getVolatile(bar, offset) & 0xffL;
                case 2 -> (short) S.getVolatile(bar, offset) & 0xffffL;
                case 4 -> (int) I.getVolatile(bar, offset) & 0xffff_ffffL;
                default -> (long) L.getVolatile(bar, offset);
            };
        }

        @Override
        public void write(long offset, int width, long value) {
            if (offset % width != 0) {
                unaligned.write(offset, width, value);
                return;
            }
            switch (width) {
                case 1 -> B.setVolatile(bar, offset, (byte) value);
                case 2 -> S.setVolatile(bar, offset, (short) value);
                case 4 -> I.setVolatile(bar, offset, (int) value);
                default -> L.setVolatile(bar, offset, value);
            }
        }
    }

    /** MSI-X vectors to eventfds with VFIO_DEVICE_SET_IRQS. */
    private final class SetIrqs implements VfioMsix.Routing {
        @Override
        public void route(int[] fds) throws LinuxException {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment s = a.allocate(VfioUapi.irqSetSize(fds.length), 8);
                VfioUapi.irqSet(s, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_PCI_MSIX_IRQ_INDEX, 0, fds.length, fds);
                VfioUapi.ioctl(device, VFIO_DEVICE_SET_IRQS, s, address + " MSI-X vectors 0.." + (fds.length - 1));
            }
        }

        @Override
        public void unroute() throws LinuxException {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment s = a.allocate(VfioUapi.irqSetSize(0), 8);
                // DATA_NONE with count 0 tears the index down: MSI-X disabled
                VfioUapi.irqSet(s, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_PCI_MSIX_IRQ_INDEX, 0, 0, null);
                VfioUapi.ioctl(device, VFIO_DEVICE_SET_IRQS, s, address + " MSI-X off");
            }
        }
    }

    /** The first {@code width} bytes of the word. */
    private static MemorySegment view(MemorySegment[] views, int width) {
        return views[Integer.numberOfTrailingZeros(width)];
    }

    private static long allOnes(int width) {
        return width == 8 ? -1L : (1L << (8 * width)) - 1;
    }

    @Override public PciAddress address() { return address; }
    @Override public String provider() { return PciVfio.PROVIDER; }
    @Override public PciRegion config() { return config; }
    @Override public List<PciBar> bars() { return List.copyOf(bars); }
    @Override public Optional<PciMsix> msix() { return Optional.ofNullable(msix); }
    @Override public PciDma dma() { return dma; }

    /** MSI-X vectors routed now and signals received; the DMA window's mappings (see {@link VfioDma#counters}). */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("msix_vectors", msix == null ? 0L : msix.enabledVectors());
        c.put("msix_signals", msix == null ? 0L : msix.signals());
        dma.counters(c);
        return c;
    }

    /** After the bus let go: MSI-X off, the BARs unmapped, the device fd closed. */
    void close() {
        if (msix != null) {
            msix.disable();
        }
        mappings.forEach(Mapping::close);
        mappings.clear();
        device.close();
    }
}
