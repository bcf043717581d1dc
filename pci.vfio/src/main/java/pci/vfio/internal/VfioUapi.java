package pci.vfio.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import linux.ffm.Fd;
import linux.ffm.Files;
import linux.ffm.LinuxException;

/**
 * The VFIO user API this provider speaks (the kernel's include/uapi/linux/vfio.h), under its
 * names: the ioctl numbers, flags and region indices, and the byte layout of each argument
 * structure, encoded and decoded here and nowhere else. Structures are in host byte order; every
 * one starts with {@code u32 argsz}, the size the caller provides.
 */
final class VfioUapi {
    private VfioUapi() {}

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** The ioctl type of VFIO, ';'. */
    static final int VFIO_TYPE = ';';
    /** The first VFIO ioctl number. */
    static final int VFIO_BASE = 100;

    /** {@code _IO(VFIO_TYPE, VFIO_BASE + nr)}: VFIO's ioctls carry no size or direction bits. */
    static long io(int nr) {
        return (VFIO_TYPE << 8) | (VFIO_BASE + nr);
    }

    static final long VFIO_GET_API_VERSION = io(0);
    static final long VFIO_CHECK_EXTENSION = io(1);
    static final long VFIO_SET_IOMMU = io(2);
    static final long VFIO_GROUP_GET_STATUS = io(3);
    static final long VFIO_GROUP_SET_CONTAINER = io(4);
    static final long VFIO_GROUP_UNSET_CONTAINER = io(5);
    static final long VFIO_GROUP_GET_DEVICE_FD = io(6);
    static final long VFIO_DEVICE_GET_INFO = io(7);
    static final long VFIO_DEVICE_GET_REGION_INFO = io(8);
    static final long VFIO_DEVICE_GET_IRQ_INFO = io(9);
    static final long VFIO_DEVICE_SET_IRQS = io(10);
    static final long VFIO_DEVICE_RESET = io(11);
    static final long VFIO_IOMMU_GET_INFO = io(12);
    static final long VFIO_IOMMU_MAP_DMA = io(13);
    static final long VFIO_IOMMU_UNMAP_DMA = io(14);

    /** The name of a VFIO ioctl number, for errors; {@code ioctl 0x...} for one this provider does not issue. */
    static String ioctlName(long request) {
        return switch ((int) (request - io(0))) {
            case 0 -> "VFIO_GET_API_VERSION";
            case 1 -> "VFIO_CHECK_EXTENSION";
            case 2 -> "VFIO_SET_IOMMU";
            case 3 -> "VFIO_GROUP_GET_STATUS";
            case 4 -> "VFIO_GROUP_SET_CONTAINER";
            case 5 -> "VFIO_GROUP_UNSET_CONTAINER";
            case 6 -> "VFIO_GROUP_GET_DEVICE_FD";
            case 7 -> "VFIO_DEVICE_GET_INFO";
            case 8 -> "VFIO_DEVICE_GET_REGION_INFO";
            case 9 -> "VFIO_DEVICE_GET_IRQ_INFO";
            case 10 -> "VFIO_DEVICE_SET_IRQS";
            case 11 -> "VFIO_DEVICE_RESET";
            case 12 -> "VFIO_IOMMU_GET_INFO";
            case 13 -> "VFIO_IOMMU_MAP_DMA";
            case 14 -> "VFIO_IOMMU_UNMAP_DMA";
            default -> "ioctl 0x" + Long.toHexString(request);
        };
    }

    /**
     * ioctl(2) of a VFIO request; a failure names the request (not just "ioctl") and its errno,
     * plus {@code what} it was about (a group, a function).
     */
    static int ioctl(Fd fd, long request, MemorySegment arg, String what) throws LinuxException {
        try {
            return Files.ioctl(fd, request, arg);
        } catch (LinuxException e) {
            throw new LinuxException(ioctlName(request), e.errno(), what);
        }
    }

    /** What VFIO_GET_API_VERSION answers. */
    static final int VFIO_API_VERSION = 0;
    /** The type 1 IOMMU with the v2 semantics (unmap of a whole mapping). */
    static final int VFIO_TYPE1v2_IOMMU = 3;

    /** struct vfio_group_status: the group's devices are all bound to VFIO (or none). */
    static final int VFIO_GROUP_FLAGS_VIABLE = 1;
    /** struct vfio_group_status: the group is in a container. */
    static final int VFIO_GROUP_FLAGS_CONTAINER_SET = 2;
    /** Size of struct vfio_group_status {argsz, flags}. */
    static final int GROUP_STATUS_SIZE = 8;

    /** struct vfio_device_info flag: a PCI device. */
    static final int VFIO_DEVICE_FLAGS_PCI = 2;
    /** Size of struct vfio_device_info {argsz, flags, num_regions, num_irqs, cap_offset, pad}. */
    static final int DEVICE_INFO_SIZE = 24;

    /** Region indices of a PCI device: BARs 0..5, then the ROM, then configuration space. */
    static final int VFIO_PCI_BAR0_REGION_INDEX = 0;
    static final int VFIO_PCI_ROM_REGION_INDEX = 6;
    static final int VFIO_PCI_CONFIG_REGION_INDEX = 7;
    static final int VFIO_REGION_INFO_FLAG_READ = 1;
    static final int VFIO_REGION_INFO_FLAG_WRITE = 2;
    static final int VFIO_REGION_INFO_FLAG_MMAP = 4;
    /** Size of struct vfio_region_info {argsz, flags, index, cap_offset, u64 size, u64 offset}. */
    static final int REGION_INFO_SIZE = 32;

    /** The IRQ index of a PCI device's MSI-X. */
    static final int VFIO_PCI_MSIX_IRQ_INDEX = 2;
    /**
     * The IRQ index of the device request: one eventfd the kernel signals when it wants the device
     * back (an unbind from vfio-pci, a hot unplug); it waits until the user closed the device fd.
     */
    static final int VFIO_PCI_REQ_IRQ_INDEX = 4;
    static final int VFIO_IRQ_INFO_EVENTFD = 1;
    static final int VFIO_IRQ_INFO_MASKABLE = 2;
    /** Size of struct vfio_irq_info {argsz, flags, index, count}. */
    static final int IRQ_INFO_SIZE = 16;

    static final int VFIO_IRQ_SET_DATA_NONE = 1;
    static final int VFIO_IRQ_SET_DATA_EVENTFD = 4;
    static final int VFIO_IRQ_SET_ACTION_MASK = 8;
    static final int VFIO_IRQ_SET_ACTION_UNMASK = 16;
    static final int VFIO_IRQ_SET_ACTION_TRIGGER = 32;
    /** Size of struct vfio_irq_set without its data: {argsz, flags, index, start, count}. */
    static final int IRQ_SET_SIZE = 20;

    static final int VFIO_DMA_MAP_FLAG_READ = 1;
    static final int VFIO_DMA_MAP_FLAG_WRITE = 2;
    /** Size of struct vfio_iommu_type1_dma_map {argsz, flags, u64 vaddr, u64 iova, u64 size}. */
    static final int DMA_MAP_SIZE = 32;
    /** Size of struct vfio_iommu_type1_dma_unmap {argsz, flags, u64 iova, u64 size}. */
    static final int DMA_UNMAP_SIZE = 24;

    /** struct vfio_iommu_type1_info flag: a capability chain follows. */
    static final int VFIO_IOMMU_INFO_CAPS = 2;
    /** The capability listing the IOVA ranges the IOMMU can map. */
    static final int VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE = 1;
    /** Size of struct vfio_iommu_type1_info {argsz, flags, u64 iova_pgsizes, cap_offset, pad}. */
    static final int IOMMU_INFO_SIZE = 24;

    // ---------------------------------------------------------------- encoders

    static void groupStatus(MemorySegment s) {
        s.set(U32, 0, GROUP_STATUS_SIZE);
        s.set(U32, 4, 0);
    }

    static int groupFlags(MemorySegment s) {
        return s.get(U32, 4);
    }

    static void deviceInfo(MemorySegment s) {
        s.fill((byte) 0);
        s.set(U32, 0, DEVICE_INFO_SIZE);
    }

    /** struct vfio_device_info as the kernel filled it. */
    record DeviceInfo(int flags, int regions, int irqs) {}

    static DeviceInfo deviceInfoOf(MemorySegment s) {
        return new DeviceInfo(s.get(U32, 4), s.get(U32, 8), s.get(U32, 12));
    }

    static void regionInfo(MemorySegment s, int index) {
        s.fill((byte) 0);
        s.set(U32, 0, REGION_INFO_SIZE);
        s.set(U32, 8, index);
    }

    /** struct vfio_region_info as the kernel filled it: the region is {@code size} bytes at {@code offset} of the device fd. */
    record RegionInfo(int flags, int index, long size, long offset) {
        boolean mappable() {
            return (flags & VFIO_REGION_INFO_FLAG_MMAP) != 0;
        }
    }

    static RegionInfo regionInfoOf(MemorySegment s) {
        return new RegionInfo(s.get(U32, 4), s.get(U32, 8), s.get(U64, 16), s.get(U64, 24));
    }

    static void irqInfo(MemorySegment s, int index) {
        s.fill((byte) 0);
        s.set(U32, 0, IRQ_INFO_SIZE);
        s.set(U32, 8, index);
    }

    /** struct vfio_irq_info as the kernel filled it. */
    record IrqInfo(int flags, int index, int count) {}

    static IrqInfo irqInfoOf(MemorySegment s) {
        return new IrqInfo(s.get(U32, 4), s.get(U32, 8), s.get(U32, 12));
    }

    /** Bytes of a struct vfio_irq_set with {@code fds} eventfds as its data. */
    static int irqSetSize(int fds) {
        return IRQ_SET_SIZE + 4 * fds;
    }

    /**
     * struct vfio_irq_set: {@code flags} (a DATA_* and an ACTION_*) for vectors {@code start ..
     * start + count - 1} of IRQ index {@code index}; with DATA_EVENTFD, {@code fds} are the data
     * (-1 to unroute one vector).
     */
    static void irqSet(MemorySegment s, int flags, int index, int start, int count, int[] fds) {
        int n = fds == null ? 0 : fds.length;
        s.set(U32, 0, irqSetSize(n));
        s.set(U32, 4, flags);
        s.set(U32, 8, index);
        s.set(U32, 12, start);
        s.set(U32, 16, count);
        for (int i = 0; i < n; i++) {
            s.set(U32, IRQ_SET_SIZE + 4L * i, fds[i]);
        }
    }

    static void dmaMap(MemorySegment s, long vaddr, long iova, long size, int flags) {
        s.set(U32, 0, DMA_MAP_SIZE);
        s.set(U32, 4, flags);
        s.set(U64, 8, vaddr);
        s.set(U64, 16, iova);
        s.set(U64, 24, size);
    }

    static void dmaUnmap(MemorySegment s, long iova, long size) {
        s.set(U32, 0, DMA_UNMAP_SIZE);
        s.set(U32, 4, 0);
        s.set(U64, 8, iova);
        s.set(U64, 16, size);
    }

    /** struct vfio_iommu_type1_info of {@code argsz} bytes (more than its size: room for capabilities). */
    static void iommuInfo(MemorySegment s, int argsz) {
        s.fill((byte) 0);
        s.set(U32, 0, argsz);
    }

    /** The argsz the kernel says it needs: more than was given when capabilities did not fit. */
    static int argsz(MemorySegment s) {
        return s.get(U32, 0);
    }

    /** One range the IOMMU can map, inclusive. */
    record IovaRange(long start, long end) {}

    /**
     * The IOVA ranges of a filled struct vfio_iommu_type1_info, from its capability chain (each
     * header {@code u16 id, u16 version, u32 next}, offsets from the structure's start). Empty
     * without the capability. The kernel's offsets are checked against the buffer: a chain that
     * leaves it, or loops, ends the walk.
     */
    static List<IovaRange> iovaRanges(MemorySegment s) {
        List<IovaRange> ranges = new ArrayList<>();
        if ((s.get(U32, 4) & VFIO_IOMMU_INFO_CAPS) == 0) {
            return ranges;
        }
        long at = Integer.toUnsignedLong(s.get(U32, 16));
        for (int hops = 0; at != 0 && hops < 64; hops++) {
            if (at < IOMMU_INFO_SIZE || at + 8 > s.byteSize()) {
                break;
            }
            int id = s.get(U16, at) & 0xffff;
            long next = Integer.toUnsignedLong(s.get(U32, at + 4));
            if (id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE && at + 16 <= s.byteSize()) {
                long n = Integer.toUnsignedLong(s.get(U32, at + 8));
                for (long i = 0; i < n && at + 16 + 16 * (i + 1) <= s.byteSize(); i++) {
                    ranges.add(new IovaRange(s.get(U64, at + 16 + 16 * i), s.get(U64, at + 24 + 16 * i)));
                }
            }
            at = next;
        }
        return ranges;
    }
}
