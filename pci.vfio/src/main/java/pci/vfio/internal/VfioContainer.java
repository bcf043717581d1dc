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
     * Opens the container under {@code dev} ({@code /dev/vfio}): the API version, then whether the
     * type 1 v2 IOMMU is there (the kernel's vfio.rst order; the IOMMU itself is set once a group is in).
     *
     * @throws IOException no container, another API version, or no type 1 v2 IOMMU
     */
    static VfioContainer open(Path dev) throws IOException {
        Path path = dev.resolve("vfio");
        Fd fd = Files.open(path, Files.O_RDWR | Files.O_CLOEXEC, 0);
        try {
            int version = VfioUapi.ioctl(fd, VFIO_GET_API_VERSION, MemorySegment.NULL, path.toString());
            if (version != VFIO_API_VERSION) {
                throw new IOException("VFIO API version " + version + ", this provider speaks " + VFIO_API_VERSION);
            }
            // an argument passed by value: the pointer's address is the number
            if (VfioUapi.ioctl(fd, VFIO_CHECK_EXTENSION, MemorySegment.ofAddress(VFIO_TYPE1v2_IOMMU), path.toString()) == 0) {
                throw new IOException("the VFIO container has no type 1 v2 IOMMU");
            }
        } catch (IOException e) {
            fd.close();
            throw e;
        }
        return new VfioContainer(dev, fd);
    }

    /**
     * Puts {@code group} into the container, once: the group is opened and must be viable, joins
     * the container (VFIO_GROUP_SET_CONTAINER), and the first group sets the IOMMU
     * (VFIO_SET_IOMMU), which the container's IOMMU ioctls and the group's device fds need first.
     */
    synchronized void attach(String group) throws IOException {
        if (groups.containsKey(group)) {
            return;
        }
        String what = "IOMMU group " + group;
        Fd g = Files.open(dev.resolve(group), Files.O_RDWR | Files.O_CLOEXEC, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(GROUP_STATUS_SIZE, 8);
            VfioUapi.groupStatus(status);
            VfioUapi.ioctl(g, VFIO_GROUP_GET_STATUS, status, what);
            int flags = VfioUapi.groupFlags(status);
            if ((flags & VFIO_GROUP_FLAGS_VIABLE) == 0) {
                throw new IOException(what + " is not viable: every function in it must be bound to vfio-pci");
            }
            if ((flags & VFIO_GROUP_FLAGS_CONTAINER_SET) == 0) {
                MemorySegment fd = a.allocate(ValueLayout.JAVA_INT);
                fd.set(ValueLayout.JAVA_INT, 0, container.number());
                VfioUapi.ioctl(g, VFIO_GROUP_SET_CONTAINER, fd, what);
            }
            if (!iommu) {
                VfioUapi.ioctl(container, VFIO_SET_IOMMU, MemorySegment.ofAddress(VFIO_TYPE1v2_IOMMU), "type 1 v2 for " + what);
                iommu = true;
            }
        } catch (IOException e) {
            g.close();
            throw e;
        }
        groups.put(group, g);
    }

    /** The device fd of {@code address} in {@code group}, which must be {@linkplain #attach attached}. */
    synchronized Fd device(String group, String address) throws IOException {
        Fd g = groups.get(group);
        if (g == null) {
            throw new IllegalStateException("IOMMU group " + group + " is not in the container");
        }
        try (Arena a = Arena.ofConfined()) {
            return Fd.adopt(VfioUapi.ioctl(g, VFIO_GROUP_GET_DEVICE_FD, a.allocateFrom(address), address));
        }
    }

    /**
     * The IOVA ranges the IOMMU can map (VFIO_IOMMU_GET_INFO's capability); empty if it does not
     * say. Only once a group is {@linkplain #attach attached}: before VFIO_SET_IOMMU the container
     * answers EINVAL.
     */
    synchronized List<IovaRange> iovaRanges() throws LinuxException {
        if (!iommu) {
            throw new IllegalStateException("no IOMMU set: attach a group first");
        }
        int argsz = IOMMU_INFO_SIZE;
        for (int attempt = 0; attempt < 2; attempt++) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment info = a.allocate(argsz, 8);
                VfioUapi.iommuInfo(info, argsz);
                VfioUapi.ioctl(container, VFIO_IOMMU_GET_INFO, info, "container");
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
            VfioUapi.ioctl(container, VFIO_IOMMU_MAP_DMA, m, "0x" + Long.toHexString(size) + " bytes at IOVA 0x" + Long.toHexString(iova));
        }
    }

    /** VFIO_IOMMU_UNMAP_DMA of {@code [iova, iova + size)}. */
    synchronized void unmap(long iova, long size) throws LinuxException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(DMA_UNMAP_SIZE, 8);
            VfioUapi.dmaUnmap(m, iova, size);
            VfioUapi.ioctl(container, VFIO_IOMMU_UNMAP_DMA, m, "0x" + Long.toHexString(size) + " bytes at IOVA 0x" + Long.toHexString(iova));
        }
    }

    @Override
    public synchronized void close() {
        groups.values().forEach(Fd::close);
        groups.clear();
        container.close();
    }
}
