package virtio.ring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import virtio.ring.internal.ZeroedMemory;

/**
 * The driver side's DMA memory: one contiguous segment the device maps at {@link #iovaBase()},
 * from which rings and buffers are carved. Backed either by native memory of a shared arena, or
 * by a file mapping (a file on {@code /dev/shm} or a memfd reached as {@code /proc/self/fd/N}) so
 * another process can map the same pages.
 *
 * <p>Allocation is first-fit with coalescing free; it is meant for setup, not the per-buffer hot
 * path (drivers allocate their buffers once and recycle them). Thread-safe.
 */
public final class DmaPool implements AutoCloseable {

    private final Arena arena;
    private final MemorySegment segment;
    private final long iovaBase;
    /** Free ranges: offset to size. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    /**
     * Bytes from here to the end were never handed out and are still zero as the pool was made,
     * so {@link #allocate} zeroes only what lies below (the whole pool, for a file mapping that
     * may hold old contents).
     */
    private long zeroFrom;

    private DmaPool(Arena arena, MemorySegment segment, long iovaBase, boolean zeroed) {
        if (Long.compareUnsigned(iovaBase + segment.byteSize(), iovaBase) <= 0) {
            throw new IllegalArgumentException("pool wraps the address space");
        }
        this.arena = arena;
        this.segment = segment;
        this.iovaBase = iovaBase;
        free.put(0L, segment.byteSize());
        this.zeroFrom = zeroed ? 0 : segment.byteSize();
    }

    /** A pool of {@code size} bytes of zeroed native memory that the device will see at {@code iovaBase}. */
    public static DmaPool create(long size, long iovaBase) {
        Arena arena = Arena.ofShared();
        try {
            // zero without a store to every byte: pages stay zeroFrom until a ring or buffer uses them
            return new DmaPool(arena, ZeroedMemory.allocate(size, 4096, arena), iovaBase, true);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * A pool backed by a shared mapping of {@code file} (created if missing, grown to {@code size}),
     * so another process mapping the same file sees the same memory.
     */
    public static DmaPool map(Path file, long size, long iovaBase) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (ch.size() < size) {
                // grows the file; the mapping needs the pages to exist
                ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
            }
            return new DmaPool(arena, ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena), iovaBase, false);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The whole pool, as the device maps it. */
    public MemorySegment segment() {
        return segment;
    }

    /** The bus address of the pool's first byte. */
    public long iovaBase() {
        return iovaBase;
    }

    /** Pool size in bytes. */
    public long size() {
        return segment.byteSize();
    }

    /** Maps the whole pool into {@code space} with {@code permission}. */
    public void mapInto(AddressSpace space, int permission) {
        space.map(iovaBase, segment, permission);
    }

    /**
     * Carves a zeroed buffer of {@code size} bytes aligned to {@code alignment} (a power of two,
     * relative to the bus address). Zeroed of whatever the driver left there; a device that maps
     * the pool can write any of it at any time, before this call as after it.
     *
     * @throws IllegalStateException if no free range fits
     */
    public synchronized DmaBuffer allocate(long size, long alignment) {
        if (size <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("size " + size + " alignment " + alignment);
        }
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long start = e.getKey();
            long end = start + e.getValue();
            long aligned = alignUp(iovaBase + start, alignment) - iovaBase;
            if (aligned + size <= end) {
                free.remove(start);
                if (aligned > start) {
                    free.put(start, aligned - start);
                }
                if (aligned + size < end) {
                    free.put(aligned + size, end - aligned - size);
                }
                MemorySegment s = segment.asSlice(aligned, size);
                // a buffer given back may hold old data; memory never handed out is still zero
                long dirty = Math.min(size, zeroFrom - aligned);
                if (dirty > 0) {
                    s.asSlice(0, dirty).fill((byte) 0);
                }
                zeroFrom = Math.max(zeroFrom, aligned + size);
                return new DmaBuffer(iovaBase + aligned, s);
            }
        }
        throw new IllegalStateException("DMA pool exhausted: " + size + " bytes");
    }

    /**
     * The most bytes {@link #allocate}{@code (size, alignment)} can take from a fresh pool: the
     * size and the gap its alignment may leave before it.
     */
    public static long worstCase(long size, long alignment) {
        return size + alignment - 1;
    }

    /** Returns a buffer from {@link #allocate} to the pool. */
    public synchronized void free(DmaBuffer buffer) {
        long start = buffer.iova() - iovaBase;
        long size = buffer.size();
        if (start < 0 || start + size > segment.byteSize()) {
            throw new IllegalArgumentException("not from this pool");
        }
        Map.Entry<Long, Long> before = free.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() > start) {
            throw new IllegalArgumentException("double free");
        }
        if (before != null && before.getKey() + before.getValue() == start) {
            start = before.getKey();
            size += before.getValue();
            free.remove(start);
        }
        Long after = free.get(start + size);
        if (after != null) {
            free.remove(start + size);
            size += after;
        }
        free.put(start, size);
    }

    /** The bus address of a segment that lies inside this pool. */
    public long iovaOf(MemorySegment inside) {
        long off = inside.address() - segment.address();
        if (!inside.isNative() || off < 0 || off + inside.byteSize() > segment.byteSize()) {
            throw new IllegalArgumentException("segment is not inside the pool");
        }
        return iovaBase + off;
    }

    /** Frees the memory; every segment of this pool becomes inaccessible. */
    @Override
    public void close() {
        arena.close();
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
