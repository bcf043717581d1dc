package virtio.ring.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Zeroed native memory from the C library's {@code calloc}, owned by an arena. {@code
 * Arena.allocate} zeroes what it allocates with a store to every byte, which also faults in every
 * page; for a DMA pool of a few MiB, of which a device touches its rings and the buffers it posts,
 * that zeroing was the largest part of binding a device (a sixth of the profile of binding 1,000).
 * A large {@code calloc} gets fresh pages from the kernel, already zero, and leaves them unwritten
 * until first used; smaller ones are zeroed by the library as before. Either way the memory reads
 * as zero, and closing the arena frees it: every segment of it then refuses access, as an
 * arena-allocated one does.
 */
public final class ZeroedMemory {

    private static final Linker LINKER = Linker.nativeLinker();
    /** size_t, 64 bits on the platforms busbar runs on. */
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    private static final MethodHandle CALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("calloc").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, SIZE_T, SIZE_T));
    private static final MethodHandle FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    private ZeroedMemory() {}

    /**
     * {@code size} zeroed bytes aligned to {@code alignment} (a power of two), freed when {@code
     * arena} closes.
     *
     * @throws OutOfMemoryError if the C library has no memory to give
     */
    public static MemorySegment allocate(long size, long alignment, Arena arena) {
        if (size <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("size " + size + " alignment " + alignment);
        }
        // calloc aligns to 16 only: take the alignment's worth more and start at the first aligned byte
        long total = Math.addExact(size, alignment - 1);
        MemorySegment raw;
        try {
            raw = (MemorySegment) CALLOC.invokeExact(1L, total);
        } catch (Throwable t) {
            throw new IllegalStateException("calloc", t);
        }
        if (raw.address() == 0) {
            throw new OutOfMemoryError("calloc of " + total + " bytes");
        }
        MemorySegment owned = raw.reinterpret(total, arena, ZeroedMemory::free);
        long skip = ((raw.address() + alignment - 1) & -alignment) - raw.address();
        return owned.asSlice(skip, size);
    }

    private static void free(MemorySegment raw) {
        try {
            FREE.invokeExact(raw);
        } catch (Throwable t) {
            throw new IllegalStateException("free", t);
        }
    }
}
