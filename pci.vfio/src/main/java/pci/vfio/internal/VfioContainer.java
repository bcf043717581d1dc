package pci.vfio.internal;

import static pci.vfio.internal.VfioUapi.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import linux.ffm.Fd;
import linux.ffm.Files;
import linux.ffm.LinuxException;

/**
 * One VFIO container ({@code /dev/vfio/vfio}) with the type 1 v2 IOMMU, the groups put into it and
 * its DMA mappings (one IOMMU domain for every function of the provider). Opening checks the API
 * version and the IOMMU type; a group joins only if it is viable (every function in it bound to
 * vfio-pci), as VFIO requires.
 */
final class VfioContainer implements AutoCloseable {

    private final Path dev;
    private final Fd container;
    private final Map<String, Fd> groups = new LinkedHashMap<>();
    private boolean iommu;

    private VfioContainer(Path dev, Fd container) {
        this.dev = dev;
        this.container = container;
    }

    /**
     * Opens the container under {@code dev} ({@code /dev/vfio}).
     *
     * @throws IOException no container, another API version, or no type 1 v2 IOMMU
     */
    static VfioContainer open(Path dev) throws IOException {
        Fd fd = Files.open(dev.resolve("vfio"), Files.O_RDWR | Files.O_CLOEXEC, 0);
        try {
            int version = Files.ioctl(fd, VFIO_GET_API_VERSION, MemorySegment.NULL);
            if (version != VFIO_API_VERSION) {
                throw new IOException("VFIO API version " + version + ", this provider speaks " + VFIO_API_VERSION);
            }
            // an argument passed by value: the pointer's address is the number
            if (Files.ioctl(fd, VFIO_CHECK_EXTENSION, MemorySegment.ofAddress(VFIO_TYPE1v2_IOMMU)) == 0) {
                throw new IOException("the VFIO container has no type 1 v2 IOMMU");
            }
        } catch (IOException e) {
            fd.close();
            throw e;
        }
        return new VfioContainer(dev, fd);
    }

    /**
     * The device fd of {@code address} in {@code group}: the group is opened, checked and put into
     * the container on first use (the IOMMU is set once a group is in).
     */
    synchronized Fd device(String group, String address) throws IOException {
        Fd g = groups.get(group);
        if (g == null) {
            g = Files.open(dev.resolve(group), Files.O_RDWR | Files.O_CLOEXEC, 0);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment status = a.allocate(GROUP_STATUS_SIZE, 8);
                VfioUapi.groupStatus(status);
                Files.ioctl(g, VFIO_GROUP_GET_STATUS, status);
                int flags = VfioUapi.groupFlags(status);
                if ((flags & VFIO_GROUP_FLAGS_VIABLE) == 0) {
                    throw new IOException("IOMMU group " + group + " is not viable: every function in it must be bound to vfio-pci");
                }
                if ((flags & VFIO_GROUP_FLAGS_CONTAINER_SET) == 0) {
                    MemorySegment fd = a.allocate(ValueLayout.JAVA_INT);
                    fd.set(ValueLayout.JAVA_INT, 0, container.number());
                    Files.ioctl(g, VFIO_GROUP_SET_CONTAINER, fd);
                }
                if (!iommu) {
                    Files.ioctl(container, VFIO_SET_IOMMU, MemorySegment.ofAddress(VFIO_TYPE1v2_IOMMU));
                    iommu = true;
                }
            } catch (IOException e) {
                g.close();
                throw e;
            }
            groups.put(group, g);
        }
        try (Arena a = Arena.ofConfined()) {
            return Fd.adopt(Files.ioctl(g, VFIO_GROUP_GET_DEVICE_FD, a.allocateFrom(address)));
        }
    }

    /** The IOVA ranges the IOMMU can map (VFIO_IOMMU_GET_INFO's capability); empty if it does not say. */
    synchronized List<IovaRange> iovaRanges() throws LinuxException {
        int argsz = IOMMU_INFO_SIZE;
        for (int attempt = 0; attempt < 2; attempt++) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment info = a.allocate(argsz, 8);
                VfioUapi.iommuInfo(info, argsz);
                Files.ioctl(container, VFIO_IOMMU_GET_INFO, info);
                int needed = VfioUapi.argsz(info);
                if (needed <= argsz || needed > 1 << 16) {
                    return VfioUapi.iovaRanges(info);
                }
                argsz = needed;
            }
        }
        return List.of();
    }

    /** VFIO_IOMMU_MAP_DMA: the function may reach {@code size} bytes at process address {@code vaddr} as {@code iova}. */
    synchronized void map(long vaddr, long iova, long size, int flags) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(DMA_MAP_SIZE, 8);
            VfioUapi.dmaMap(m, vaddr, iova, size, flags);
            Files.ioctl(container, VFIO_IOMMU_MAP_DMA, m);
        }
    }

    /** VFIO_IOMMU_UNMAP_DMA of {@code [iova, iova + size)}. */
    synchronized void unmap(long iova, long size) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(DMA_UNMAP_SIZE, 8);
            VfioUapi.dmaUnmap(m, iova, size);
            Files.ioctl(container, VFIO_IOMMU_UNMAP_DMA, m);
        }
    }

    @Override
    public synchronized void close() {
        groups.values().forEach(Fd::close);
        groups.clear();
        container.close();
    }
}
