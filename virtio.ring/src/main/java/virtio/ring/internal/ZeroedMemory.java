package virtio.ring.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Zeroed native memory as a private anonymous mapping (mmap(2)), owned by an arena. {@code
 * Arena.allocate} zeroes what it allocates with a store to every byte, which also faults in every
 * page; for a DMA pool of a few MiB, of which a device touches its rings and the buffers it posts,
 * that zeroing was the largest part of binding a device (over a third of the samples of a profile
 * of binding 1,000). An anonymous mapping is zero by the kernel's promise, takes no page until one
 * is touched, and closing the arena unmaps it, giving every page back (a C library's {@code calloc}
 * of the same size may come from its heap once its mmap threshold has grown, zeroed by a store to
 * every byte and kept by the library after {@code free}). Every segment of it refuses access once
 * the arena is closed, as an arena-allocated one does.
 */
public final class ZeroedMemory {

    /** mmap(2)'s constants on Linux x86-64 and aarch64. */
    private static final int PROT_READ = 0x1, PROT_WRITE = 0x2, MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20;
    private static final long PAGE = 4096;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private ZeroedMemory() {}

    /**
     * {@code size} zeroed bytes aligned to {@code alignment} (a power of two), unmapped when {@code
     * arena} closes.
     *
     * @throws OutOfMemoryError if the kernel refuses the mapping
     */
    public static MemorySegment allocate(long size, long alignment, Arena arena) {
        if (size <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("size " + size + " alignment " + alignment);
        }
        // a mapping starts on a page; a larger alignment takes that much more and starts inside
        long extra = alignment > PAGE ? alignment - PAGE : 0;
        long total = Math.addExact(Math.addExact(size, extra), PAGE - 1) & -PAGE;
        MemorySegment raw;
        try {
            raw = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, total, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap", t);
        }
        if (raw.address() == -1L) {
            throw new OutOfMemoryError("mmap of " + total + " anonymous bytes refused");
        }
        MemorySegment owned = raw.reinterpret(total, arena, ZeroedMemory::unmap);
        long skip = ((raw.address() + alignment - 1) & -alignment) - raw.address();
        return owned.asSlice(skip, size);
    }

    private static void unmap(MemorySegment raw) {
        int rc;
        try {
            rc = (int) MUNMAP.invokeExact(raw, raw.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap", t);
        }
        if (rc != 0) {
            // only a wrong address or length fails, and both come from mmap above
            throw new IllegalStateException("munmap of " + raw.byteSize() + " bytes at 0x" + Long.toHexString(raw.address()));
        }
    }
}
