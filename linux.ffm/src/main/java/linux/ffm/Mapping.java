package linux.ffm;

import static linux.ffm.internal.Native.INT;
import static linux.ffm.internal.Native.LONG;
import static linux.ffm.internal.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import linux.ffm.internal.Native;

/**
 * A memory mapping made by mmap(2), unmapped by {@link #close()} (munmap(2)) exactly once, never
 * by the garbage collector.
 *
 * <p>The segment is exactly the mapped length and belongs to a shared arena that the close
 * ends: after it, every access through the segment (or a slice of it) throws
 * {@link IllegalStateException} instead of touching an address that no longer maps, and the close
 * itself waits out accesses in flight (the arena's handshake) before munmap runs.
 */
public final class Mapping implements AutoCloseable {

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;

    private static final MethodHandle MMAP =
            Native.errnoCall("mmap", FunctionDescriptor.of(PTR, PTR, LONG, INT, INT, INT, LONG));
    private static final MethodHandle MUNMAP = Native.errnoCall("munmap", FunctionDescriptor.of(INT, PTR, LONG));
    private static final long MAP_FAILED = -1L;

    private final Arena arena;
    private final MemorySegment segment;
    private final long address;

    private Mapping(Arena arena, MemorySegment segment, long address) {
        this.arena = arena;
        this.segment = segment;
        this.address = address;
    }

    /**
     * mmap(2) of {@code length} bytes of {@code fd} from {@code offset}.
     *
     * @throws LinuxException as mmap reports it (EINVAL for a zero length or unaligned offset, EBADF, ENODEV, ...)
     */
    public static Mapping map(Fd fd, long length, int prot, int flags, long offset) throws LinuxException {
        int n = fd.acquire("mmap");
        MemorySegment raw;
        try {
            raw = (MemorySegment) MMAP.invokeExact(Native.errnoState(), MemorySegment.NULL, length, prot, flags, n, offset);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            fd.release();
        }
        if (raw.address() == MAP_FAILED) {
            throw new LinuxException("mmap", Native.errno(), fd + " length " + length + " offset " + offset);
        }
        long address = raw.address();
        Arena arena = Arena.ofShared();
        MemorySegment seg = raw.reinterpret(length, arena, s -> unmap(address, length));
        if ((prot & PROT_WRITE) == 0) {
            seg = seg.asReadOnly();
        }
        return new Mapping(arena, seg, address);
    }

    private static void unmap(long address, long length) {
        try {
            int ignored = (int) MUNMAP.invokeExact(Native.errnoState(), MemorySegment.ofAddress(address), length);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The mapped memory, exactly the mapped length; inaccessible after {@link #close()}. */
    public MemorySegment segment() {
        return segment;
    }

    /** The mapping's address in this process. */
    public long address() {
        return address;
    }

    /** The mapped length. */
    public long length() {
        return segment.byteSize();
    }

    /** Whether the mapping is still there. */
    public boolean isMapped() {
        return arena.scope().isAlive();
    }

    /** munmap(2), once; later calls do nothing. */
    @Override
    public void close() {
        for (int attempt = 0; ; attempt++) {
            try {
                arena.close();
                return;
            } catch (IllegalStateException e) {
                if (!arena.scope().isAlive()) {
                    return; // closed already
                }
                if (attempt >= 100) {
                    throw e; // still accessed after 100 tries: a caller that never stops is a bug
                }
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public String toString() {
        return "mapping 0x" + Long.toHexString(address) + "+" + segment.byteSize() + (isMapped() ? "" : " (unmapped)");
    }
}
