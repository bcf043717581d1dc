package virtio.ring.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian field access to ring memory. Ring areas are checked for alignment when a queue is
 * set up, so aligned layouts apply; indirect tables are not, so they get the unaligned ones.
 * The ordering each acquire/release/opaque access provides is named at its call site.
 *
 * <p>Ordered accesses are a plain (single, untorn: aligned 16/32-bit) segment access next to a
 * {@link VarHandle} fence: acquire = load, then acquireFence; release = releaseFence, then store.
 * Opaque ones are given the same fences, which is stronger than opaque asks and, like opaque,
 * keeps the JIT from hoisting a polled load out of a loop. On x86 these fences emit no
 * instruction. The equivalent {@code VarHandle.getAcquire/setRelease} on a segment compiled into
 * a large out-of-line method that C2 then declined to inline at the ring's call sites (seen as a
 * quarter of the one-thread round trip's samples); the fence form inlines like a plain access.
 */
final class Mem {

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort U16_UNALIGNED = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32_UNALIGNED = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64_UNALIGNED = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Mem() {}

    static int get16(MemorySegment s, long off) {
        return s.get(U16, off) & 0xffff;
    }

    static void set16(MemorySegment s, long off, int v) {
        s.set(U16, off, (short) v);
    }

    static int get32(MemorySegment s, long off) {
        return s.get(U32, off);
    }

    static void set32(MemorySegment s, long off, int v) {
        s.set(U32, off, v);
    }

    static long get64(MemorySegment s, long off) {
        return s.get(U64, off);
    }

    static void set64(MemorySegment s, long off, long v) {
        s.set(U64, off, v);
    }

    /** An 8-byte field at an offset that is only 4-aligned (a split used element). */
    static long get64Unaligned(MemorySegment s, long off) {
        return s.get(U64_UNALIGNED, off);
    }

    static void set64Unaligned(MemorySegment s, long off, long v) {
        s.set(U64_UNALIGNED, off, v);
    }

    /**
     * Bytes 8-15 of a split descriptor (le32 len, le16 flags, le16 next) as one little-endian
     * 64-bit value, so a descriptor is written with two stores and read with two loads: each
     * field comes from one single read of shared memory.
     */
    static long splitDescTail(int len, int flags, int next) {
        return Integer.toUnsignedLong(len) | (long) flags << 32 | (long) next << 48;
    }

    /** A split used element (le32 id, le32 len) as one little-endian 64-bit value. */
    static long usedElem(int id, int len) {
        return Integer.toUnsignedLong(id) | (long) len << 32;
    }

    static int getAcquire16(MemorySegment s, long off) {
        int v = s.get(U16, off) & 0xffff;
        VarHandle.acquireFence();
        return v;
    }

    static void setRelease16(MemorySegment s, long off, int v) {
        VarHandle.releaseFence();
        s.set(U16, off, (short) v);
    }

    /** A single untorn read of a field the other side may be writing (at least opaque). */
    static int getOpaque16(MemorySegment s, long off) {
        int v = s.get(U16, off) & 0xffff;
        VarHandle.acquireFence();
        return v;
    }

    /** A single untorn write the other side polls (at least opaque). */
    static void setOpaque16(MemorySegment s, long off, int v) {
        VarHandle.releaseFence();
        s.set(U16, off, (short) v);
    }

    static int getOpaque32(MemorySegment s, long off) {
        int v = s.get(U32, off);
        VarHandle.acquireFence();
        return v;
    }

    static void setOpaque32(MemorySegment s, long off, int v) {
        VarHandle.releaseFence();
        s.set(U32, off, v);
    }
}
