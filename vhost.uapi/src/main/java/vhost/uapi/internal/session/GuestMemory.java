package vhost.uapi.internal.session;

import java.util.ArrayList;
import java.util.List;
import linux.ffm.Fd;
import linux.ffm.Files;
import linux.ffm.LinuxException;
import linux.ffm.Mapping;
import vdpa.bus.Iotlb;
import vdpa.bus.IotlbMapping;
import vdpa.bus.IotlbPermission;
import vhost.uapi.internal.proto.Message.Region;
import vhost.uapi.internal.proto.ProtocolError;
import vhost.uapi.internal.proto.ProtocolException;

/**
 * The front-end's memory as this process maps it: each region's file mapped shared, with its
 * guest-physical range (what the device translates, IOVA = GPA) and the front-end's user address
 * range (what ring addresses are given in). A region is checked before it is mapped: against
 * the others (neither its guest-physical nor its user range may meet theirs) and against its
 * file (it must lie inside the size fstat reports). Owned by one session thread.
 *
 * <p>A region's file may shrink under its mapping if it is not sealed with F_SEAL_SHRINK (QEMU's
 * sealed memfds are; DPDK's and hugetlbfs files are not), and the device's next access there
 * faults: each region keeps a descriptor of its file, {@link #shrunk} compares the file with the
 * region, and the session watches it while rings run.
 *
 * <p>A region added again exactly as it is (same guest and user addresses, size and offset) is
 * counted, not refused: QEMU keeps one memory table per queue pair on a shared connection and
 * each of them adds (and later removes) the same regions. It goes when the last one removes it.
 */
final class GuestMemory implements AutoCloseable {

    /**
     * A mapped region. {@code mapping} covers the region from a page boundary of its file;
     * {@code adds} counts the ADD_MEM_REGs of it not yet removed.
     */
    record Mapped(Region region, Mapping mapping, long skew, Fd file, int seals, java.util.concurrent.atomic.AtomicInteger adds) {
        Mapped(Region region, Mapping mapping, long skew, Fd file, int seals) {
            this(region, mapping, skew, file, seals, new java.util.concurrent.atomic.AtomicInteger(1));
        }

        /** Whether the file may shrink under the mapping (no F_SEAL_SHRINK). */
        boolean mayShrink() {
            return seals < 0 || (seals & F_SEAL_SHRINK) == 0;
        }

        /** Unmaps the region and closes the descriptor kept to watch its file. */
        void close() {
            mapping.close();
            file.close();
        }

        /** The region's first byte in this process. */
        long hostAddress() {
            return mapping.address() + skew;
        }
    }

    /** fcntl(2) commands and seals (linux/fcntl.h). */
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int F_GET_SEALS = 1034;
    private static final int F_SEAL_SEAL = 0x1;
    private static final int F_SEAL_SHRINK = 0x2;
    private static final int F_SEAL_GROW = 0x4;
    private static final int F_SEAL_WRITE = 0x8;
    private static final int F_SEAL_FUTURE_WRITE = 0x10;

    private final List<Mapped> regions = new ArrayList<>();
    private int version;

    /** The mapped regions, in the order they came. */
    List<Mapped> regions() {
        return List.copyOf(regions);
    }

    /** Moves each time the set of regions changes (the device's map must follow). */
    int version() {
        return version;
    }

    boolean isEmpty() {
        return regions.isEmpty();
    }

    /**
     * Checks a whole table against itself, maps it and returns it apart from the current one:
     * the caller swaps it in with {@link #replaceWith} once the device no longer uses the old one.
     * On a refusal nothing stays mapped. Closes every descriptor.
     */
    static List<Mapped> mapTable(List<Region> table, List<Fd> fds) throws ProtocolException {
        List<Mapped> out = new ArrayList<>();
        try {
            for (int i = 0; i < table.size(); i++) {
                Region r = table.get(i);
                for (Mapped m : out) {
                    checkApart(r, m.region());
                }
                out.add(map(r, fds.get(i)));
            }
            return out;
        } catch (ProtocolException | RuntimeException e) {
            out.forEach(Mapped::close);
            throw e;
        } finally {
            fds.forEach(Fd::close);
        }
    }

    /** Unmaps the current regions and takes {@code table} (from {@link #mapTable}) instead. */
    void replaceWith(List<Mapped> table) {
        closeAll();
        regions.addAll(table);
        version++;
    }

    /** Whether {@code table} is exactly the current one (then nothing needs to change). */
    boolean holdsExactly(List<Region> table) {
        return regions.stream().map(Mapped::region).toList().equals(table);
    }

    /**
     * Checks one more region against the current ones and the slot limit, maps it (or counts it
     * again if it is exactly one already there). Closes {@code fd}.
     */
    void add(Region r, Fd fd, int maxSlots) throws ProtocolException {
        try {
            for (Mapped m : regions) {
                if (m.region().equals(r)) {
                    m.adds().incrementAndGet();
                    return;
                }
            }
            if (regions.size() >= maxSlots) {
                throw new ProtocolException(ProtocolError.TOO_MANY_REGIONS, "ADD_MEM_REG beyond " + maxSlots + " slots");
            }
            for (Mapped m : regions) {
                checkApart(r, m.region());
            }
            regions.add(map(r, fd));
            version++;
        } finally {
            fd.close();
        }
    }

    /** The region REM_MEM_REG names by guest address, user address and size (not the offset). */
    Mapped find(Region r) throws ProtocolException {
        for (Mapped m : regions) {
            Region k = m.region();
            if (k.gpa() == r.gpa() && k.userAddr() == r.userAddr() && k.size() == r.size()) {
                return m;
            }
        }
        throw new ProtocolException(ProtocolError.NO_SUCH_REGION, "REM_MEM_REG of a region never added (" + r + ")");
    }

    /** Takes back one ADD_MEM_REG of a region {@link #find} returned; true if that was the last one. */
    boolean release(Mapped m) {
        return m.adds().decrementAndGet() == 0;
    }

    /** Unmaps a region {@link #find} returned; the device must no longer reach it. */
    void remove(Mapped m) {
        regions.remove(m);
        m.close();
        version++;
    }

    /**
     * The guest-physical address of the front-end user address {@code uva}, whose {@code length}
     * bytes must all lie in one region; -1 if none holds them.
     */
    long userToGuest(long uva, long length) {
        for (Mapped m : regions) {
            if (m.region().holdsUser(uva, length)) {
                return m.region().gpa() + (uva - m.region().userAddr());
            }
        }
        return -1;
    }

    /**
     * The little-endian 16-bit value at front-end user address {@code uva}, or -1 if no region
     * holds it or reading it faulted (a file the front-end shrank under its mapping).
     */
    int readU16(long uva) {
        for (Mapped m : regions) {
            if (m.region().holdsUser(uva, 2)) {
                try {
                    return Short.toUnsignedInt(m.mapping().segment().get(LE16, m.skew() + uva - m.region().userAddr()));
                } catch (InternalError fault) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static final java.lang.foreign.ValueLayout.OfShort LE16 =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The device's address space: each region at its guest-physical address, read-write, with its segment. */
    Iotlb iotlb() {
        return iotlbWithout(null);
    }

    /** {@link #iotlb()} without one region (null for none). */
    Iotlb iotlbWithout(Mapped left) {
        List<IotlbMapping> maps = new ArrayList<>();
        for (Mapped m : regions) {
            if (m == left) {
                continue;
            }
            Region r = m.region();
            maps.add(new IotlbMapping(r.gpa(), r.size(), m.hostAddress(), IotlbPermission.RW,
                    m.mapping().segment().asSlice(m.skew(), r.size())));
        }
        return new Iotlb(maps);
    }

    private static void checkApart(Region r, Region o) throws ProtocolException {
        if (r.overlapsGuest(o)) {
            throw new ProtocolException(ProtocolError.BAD_REGION, "region (" + r + ") overlaps region (" + o + ") in guest-physical addresses");
        }
        if (r.overlapsUser(o)) {
            throw new ProtocolException(ProtocolError.BAD_REGION, "region (" + r + ") overlaps region (" + o + ") in user addresses");
        }
    }

    /** Maps a region from the page (or huge page) boundary below its offset, after checking it against its file. */
    private static Mapped map(Region r, Fd fd) throws ProtocolException {
        Files.Stat st;
        try {
            st = Files.stat(fd);
        } catch (LinuxException e) {
            throw new ProtocolException(ProtocolError.MAP_FAILED, "region (" + r + "): " + e.getMessage());
        }
        if (!st.isRegular()) {
            throw new ProtocolException(ProtocolError.MEMORY_NOT_SHARED, "region (" + r + ") comes with a descriptor that is not"
                    + " a memory file (mode 0" + Integer.toOctalString(st.mode()) + "): the memory must be a memfd or a hugetlbfs file");
        }
        if (Long.compareUnsigned(r.mmapOffset(), st.size()) > 0 || Long.compareUnsigned(r.size(), st.size() - r.mmapOffset()) > 0) {
            throw new ProtocolException(ProtocolError.REGION_BEYOND_FILE, "region (" + r + ") ends past its file of "
                    + st.size() + " bytes");
        }
        long page = Math.max(4096, Integer.toUnsignedLong(st.blockSize()));
        if (Long.bitCount(page) != 1) {
            page = 4096;
        }
        long start = r.mmapOffset() & -page;
        long skew = r.mmapOffset() - start;
        long length = (skew + r.size() + page - 1) & -page;
        if (length <= 0) {
            throw new ProtocolException(ProtocolError.BAD_REGION, "region (" + r + ") cannot be mapped in whole pages of " + page);
        }
        Fd file = null;
        try {
            file = Fd.adopt(Files.fcntl(fd, F_DUPFD_CLOEXEC, 0));
            Mapping mapping = Mapping.map(fd, length, Mapping.PROT_READ | Mapping.PROT_WRITE, Mapping.MAP_SHARED, start);
            return new Mapped(r, mapping, skew, file, seals(fd));
        } catch (LinuxException e) {
            if (file != null) {
                file.close();
            }
            throw new ProtocolException(ProtocolError.MAP_FAILED, "region (" + r + "): " + e.getMessage());
        }
    }

    /** The file's seals, or -1 if it takes none (EINVAL: not a memfd, e.g. hugetlbfs). */
    private static int seals(Fd fd) {
        try {
            return Files.fcntl(fd, F_GET_SEALS, 0);
        } catch (LinuxException e) {
            return -1;
        }
    }

    /** A region's seals as {@code vhost:show} lists them. */
    static String sealNames(Mapped m) {
        if (m.seals() < 0) {
            return "unsupported";
        }
        List<String> names = new ArrayList<>();
        String[] all = {"seal", "shrink", "grow", "write", "future-write"};
        int[] bits = {F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE, F_SEAL_FUTURE_WRITE};
        for (int i = 0; i < bits.length; i++) {
            if ((m.seals() & bits[i]) != 0) {
                names.add(all[i]);
            }
        }
        return names.isEmpty() ? "none" : String.join(" ", names);
    }

    /** Whether any region's file may shrink under its mapping (then {@link #shrunk} is worth asking). */
    boolean mayShrink() {
        for (Mapped m : regions) {
            if (m.mayShrink()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the memory can no longer be used: the first region whose file no longer holds it (fstat
     * of the descriptor it keeps), or null if every file still does.
     */
    String shrunk() {
        for (Mapped m : regions) {
            if (!m.mayShrink()) {
                continue;
            }
            long size;
            try {
                size = Files.stat(m.file()).size();
            } catch (LinuxException e) {
                continue; // the kept descriptor cannot fail fstat; nothing to conclude if it does
            }
            Region r = m.region();
            if (Long.compareUnsigned(size, r.mmapOffset() + r.size()) < 0) {
                return "region (" + r + ")'s file shrank to " + size + " bytes under its mapping (it is not sealed with"
                        + " F_SEAL_SHRINK): the device's accesses past its end fault";
            }
        }
        return null;
    }

    private void closeAll() {
        regions.forEach(Mapped::close);
        regions.clear();
    }

    /** Unmaps everything; the device must no longer reach it. */
    @Override
    public void close() {
        if (!regions.isEmpty()) {
            closeAll();
            version++;
        }
    }
}
