package virtio.ring;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The device's view of bus memory (the IOTLB): a table of mapped regions, each an IOVA range
 * backed by a {@link MemorySegment} with read and/or write permission. The device side resolves
 * every descriptor address, ring parts and indirect tables included, through it.
 *
 * <p>{@link #map} and {@link #unmap} may run at any time on any thread. Each publishes a new
 * immutable table, so a {@link Resolver} on the queue's thread needs no lock: it sees either the
 * old or the new table. A buffer already resolved keeps its segment after an unmap; the owner of
 * the memory must quiesce the queue before freeing it.
 *
 * <p>Addresses are unsigned 64-bit values; a region ends below 2^64 - 1 (its end is representable).
 */
public final class AddressSpace {

    /** Permission: the device may read the region. */
    public static final int READ = 1;
    /** Permission: the device may write the region. */
    public static final int WRITE = 2;
    /** Permission: read and write. */
    public static final int READ_WRITE = READ | WRITE;

    /** A mapping, for listing. */
    public record Mapping(long iova, long size, int permission) {}

    private volatile Table table = Table.EMPTY;

    /**
     * Maps {@code segment} at {@code iova} with {@code permission}.
     *
     * @throws IllegalArgumentException if the range is empty, wraps past 2^64, overlaps a mapping,
     *     the permission is not READ, WRITE or both, or WRITE is asked of a read-only segment
     */
    public synchronized void map(long iova, MemorySegment segment, int permission) {
        List<Region> regions = table.regions();
        regions.add(checked(new Region(iova, segment, permission), regions));
        // volatile write: publishes the fully built table to resolvers on other threads
        table = Table.of(regions);
    }

    /**
     * Replaces every mapping at once (the vDPA set_map): each region is checked as {@link #map}
     * checks it, against the others; if one is refused nothing changes, and resolvers see either
     * the old table or the new one, never a mix.
     *
     * @throws IllegalArgumentException as {@link #map}, naming the first region refused
     */
    public synchronized void replace(List<Region> regions) {
        List<Region> accepted = new ArrayList<>(regions.size());
        for (Region r : regions) {
            accepted.add(checked(r, accepted));
        }
        // volatile write: publishes the fully built table to resolvers on other threads
        table = Table.of(accepted);
    }

    /** {@code r} if it may join {@code others}; else why not. */
    private static Region checked(Region r, List<Region> others) {
        long size = r.segment.byteSize();
        if (size <= 0 || Long.compareUnsigned(r.iova + size, r.iova) <= 0) {
            throw new IllegalArgumentException("empty or wrapping range at 0x" + Long.toHexString(r.iova));
        }
        if (r.permission < READ || r.permission > READ_WRITE) {
            throw new IllegalArgumentException("permission " + r.permission);
        }
        if ((r.permission & WRITE) != 0 && r.segment.isReadOnly()) {
            throw new IllegalArgumentException("WRITE on a read-only segment at 0x" + Long.toHexString(r.iova));
        }
        for (Region o : others) {
            long oLast = o.iova + o.segment.byteSize() - 1;
            if (Long.compareUnsigned(o.iova, r.iova + size - 1) <= 0 && Long.compareUnsigned(r.iova, oLast) <= 0) {
                throw new IllegalArgumentException("0x" + Long.toHexString(r.iova) + " overlaps mapping at 0x"
                        + Long.toHexString(o.iova));
            }
        }
        return r;
    }

    /**
     * Removes {@code [iova, iova + size)} from the address space. Mappings that straddle the range
     * keep their parts outside it.
     */
    public synchronized void unmap(long iova, long size) {
        if (size <= 0) {
            return;
        }
        long last = Long.compareUnsigned(iova + size - 1, iova) < 0 ? -1L : iova + size - 1;
        List<Region> kept = new ArrayList<>();
        Table t = table;
        for (int i = 0; i < t.count; i++) {
            Region r = new Region(t.iova(i), t.segments[i], t.permissions[i]);
            long rLast = r.iova + r.segment.byteSize() - 1;
            if (Long.compareUnsigned(rLast, iova) < 0 || Long.compareUnsigned(r.iova, last) > 0) {
                kept.add(r);
                continue;
            }
            if (Long.compareUnsigned(r.iova, iova) < 0) {
                kept.add(new Region(r.iova, r.segment.asSlice(0, iova - r.iova), r.permission));
            }
            if (Long.compareUnsigned(rLast, last) > 0) {
                long from = last + 1 - r.iova;
                kept.add(new Region(last + 1, r.segment.asSlice(from), r.permission));
            }
        }
        // volatile write: publishes the fully built table to resolvers on other threads
        table = Table.of(kept);
    }

    /** The current mappings, lowest IOVA first. */
    public List<Mapping> mappings() {
        Table t = table;
        List<Mapping> out = new ArrayList<>(t.count);
        for (int i = 0; i < t.count; i++) {
            out.add(new Mapping(t.iova(i), t.segments[i].byteSize(), t.permissions[i]));
        }
        return out;
    }

    /** A new resolver; use one per thread (it caches the last region it hit). */
    public Resolver resolver() {
        return new Resolver(this);
    }

    /**
     * Translates bus addresses to segments without allocating. Not thread-safe: one per queue.
     * After a successful {@link #resolve}, {@link #segment()} and {@link #offset()} locate the
     * first byte.
     */
    public static final class Resolver {
        /** {@link #resolve} result: no mapping holds the address. */
        public static final long NOT_MAPPED = -1;
        /** {@link #resolve} result: the mapping lacks the asked permission. */
        public static final long DENIED = -2;

        /*
         * 128 bytes nothing uses, declared before the other long fields so HotSpot lays them out
         * first: the device writes this resolver for every descriptor, and these keep its fields
         * off the cache lines of whatever object (perhaps the driver's, on another core) lies before.
         */
        @SuppressWarnings("unused")
        private long pad0, pad1, pad2, pad3, pad4, pad5, pad6, pad7;
        @SuppressWarnings("unused")
        private long pad8, pad9, pad10, pad11, pad12, pad13, pad14, pad15;

        private final AddressSpace space;
        /** The last region hit, copied out of {@code hitTable} so a hit reads no arrays. */
        private Table hitTable;
        private long hitStart;
        private long hitEnd;
        private int hitPermission;
        private MemorySegment hitSegment;
        private MemorySegment segment;
        private long offset;

        Resolver(AddressSpace space) {
            this.space = space;
        }

        /**
         * Finds the mapping that holds {@code iova}.
         *
         * @param length bytes wanted, at least 1
         * @param permission {@link #READ}, {@link #WRITE} or both
         * @return how many of the wanted bytes (1 to {@code length}) lie contiguously in that
         *     mapping; or {@link #NOT_MAPPED} or {@link #DENIED}
         */
        public long resolve(long iova, long length, int permission) {
            // volatile read: sees a table map/unmap published completely
            Table t = space.table;
            long key = iova ^ Long.MIN_VALUE;
            // the cached region counts only while its table is the current one
            if (t != hitTable || key < hitStart || key >= hitEnd) {
                if (!miss(t, key)) {
                    return NOT_MAPPED;
                }
            }
            if ((hitPermission & permission) != permission) {
                return DENIED;
            }
            MemorySegment s = hitSegment;
            // usually the segment of the previous resolve; skipping the store skips its GC barrier
            if (segment != s) {
                segment = s;
            }
            offset = key - hitStart;
            return Math.min(length, hitEnd - key);
        }

        /** Searches {@code t} for biased {@code key} and caches the region found; false if none. */
        private boolean miss(Table t, long key) {
            int i = t.find(key);
            if (i < 0) {
                return false;
            }
            hitTable = t;
            hitStart = t.starts[i];
            hitEnd = t.ends[i];
            hitPermission = t.permissions[i];
            hitSegment = t.segments[i];
            return true;
        }

        /** The segment of the last successful resolve. */
        public MemorySegment segment() {
            return segment;
        }

        /** The offset in {@link #segment()} of the last successful resolve. */
        public long offset() {
            return offset;
        }
    }

    /** A region to map: {@code segment} at {@code iova} with {@code permission} ({@link #READ}, {@link #WRITE} or both). */
    public record Region(long iova, MemorySegment segment, int permission) {
        public Region {
            java.util.Objects.requireNonNull(segment, "segment");
        }
    }

    /** Immutable sorted region table; starts and ends are biased by 2^63 so signed compares order them unsigned. */
    private static final class Table {
        static final Table EMPTY = new Table(new long[0], new long[0], new MemorySegment[0], new int[0]);

        final int count;
        final long[] starts;
        final long[] ends;
        final MemorySegment[] segments;
        final int[] permissions;

        Table(long[] starts, long[] ends, MemorySegment[] segments, int[] permissions) {
            this.count = starts.length;
            this.starts = starts;
            this.ends = ends;
            this.segments = segments;
            this.permissions = permissions;
        }

        static Table of(List<Region> regions) {
            regions.sort((a, b) -> Long.compareUnsigned(a.iova, b.iova));
            int n = regions.size();
            long[] s = new long[n];
            long[] e = new long[n];
            MemorySegment[] g = new MemorySegment[n];
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                Region r = regions.get(i);
                s[i] = r.iova ^ Long.MIN_VALUE;
                e[i] = s[i] + r.segment.byteSize();
                g[i] = r.segment;
                p[i] = r.permission;
            }
            return new Table(s, e, g, p);
        }

        long iova(int i) {
            return starts[i] ^ Long.MIN_VALUE;
        }

        List<Region> regions() {
            List<Region> out = new ArrayList<>(count + 1);
            for (int i = 0; i < count; i++) {
                out.add(new Region(iova(i), segments[i], permissions[i]));
            }
            return out;
        }

        /** Index of the region holding biased {@code key}, or -1. */
        int find(long key) {
            int lo = 0;
            int hi = count - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] <= key) {
                    if (key < ends[mid]) {
                        return mid;
                    }
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return -1;
        }
    }
}
