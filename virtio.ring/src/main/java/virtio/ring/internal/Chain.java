package virtio.ring.internal;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import virtio.ring.AddressSpace;
import virtio.ring.DescriptorChain;
import virtio.ring.RingError;

/**
 * The device side's reusable chain. Parts are kept as parallel arrays that grow (rarely) and are
 * never shrunk, so after warm-up filling a chain allocates nothing.
 */
public final class Chain implements DescriptorChain {

    /** The spec's cap on one chain's bytes (2.7.5: no chain longer than 2^32 bytes). */
    static final long MAX_CHAIN_BYTES = 1L << 32;

    // leading padding, as in QueueFault: the device writes these fields on every pop
    @SuppressWarnings("unused")
    private long pad0, pad1, pad2, pad3, pad4, pad5, pad6, pad7;
    @SuppressWarnings("unused")
    private long pad8, pad9, pad10, pad11, pad12, pad13, pad14, pad15;

    int id;
    int descCount;
    private final Parts readable = new Parts();
    private final Parts writable = new Parts();
    private long totalBytes;
    /** A writable descriptor was seen (zero-length ones too), so readable ones are now refused. */
    private boolean sawWritable;

    void reset() {
        id = 0;
        descCount = 0;
        readable.count = 0;
        readable.bytes = 0;
        writable.count = 0;
        writable.bytes = 0;
        totalBytes = 0;
        sawWritable = false;
    }

    /**
     * Adds one descriptor's buffer, resolved through {@code r}; a buffer that crosses mappings
     * becomes several parts. Zero-length buffers add no part and touch no memory.
     *
     * @return null, or why the buffer is refused
     */
    RingError append(AddressSpace.Resolver r, long addr, int len32, boolean isWritable) {
        if (isWritable) {
            sawWritable = true;
        } else if (sawWritable) {
            return RingError.READABLE_AFTER_WRITABLE;
        }
        long len = Integer.toUnsignedLong(len32);
        if (len == 0) {
            return null;
        }
        if (Long.compareUnsigned(addr + len - 1, addr) < 0) {
            return RingError.ADDRESS_WRAP;
        }
        long total = totalBytes + len;
        totalBytes = total;
        if (total > MAX_CHAIN_BYTES) {
            return RingError.CHAIN_BYTES_TOO_LARGE;
        }
        Parts parts = isWritable ? writable : readable;
        int permission = isWritable ? AddressSpace.WRITE : AddressSpace.READ;
        long got = r.resolve(addr, len, permission);
        if (got == len) {
            parts.add(r.segment(), r.offset(), got);
            return null;
        }
        return appendAcross(r, parts, addr, len, permission, got);
    }

    /** The rare case, kept out of line: a buffer not wholly inside the first mapping, or refused. */
    private static RingError appendAcross(AddressSpace.Resolver r, Parts parts, long addr, long len, int permission,
            long got) {
        while (true) {
            if (got < 0) {
                return got == AddressSpace.Resolver.DENIED ? RingError.PERMISSION_DENIED : RingError.UNMAPPED_ADDRESS;
            }
            parts.add(r.segment(), r.offset(), got);
            addr += got;
            len -= got;
            if (len == 0) {
                return null;
            }
            got = r.resolve(addr, len, permission);
        }
    }

    @Override public int id() { return id; }
    @Override public int descriptorCount() { return descCount; }
    @Override public int readableCount() { return readable.count; }
    @Override public MemorySegment readableSegment(int i) { return readable.segment(i); }
    @Override public long readableOffset(int i) { return readable.offset(i); }
    @Override public long readableLength(int i) { return readable.length(i); }
    @Override public long readableBytes() { return readable.bytes; }
    @Override public int writableCount() { return writable.count; }
    @Override public MemorySegment writableSegment(int i) { return writable.segment(i); }
    @Override public long writableOffset(int i) { return writable.offset(i); }
    @Override public long writableLength(int i) { return writable.length(i); }
    @Override public long writableBytes() { return writable.bytes; }

    @Override
    public long copyFromReadable(long from, MemorySegment dst, long dstOffset, long length) {
        Parts p = readable;
        long done = 0;
        long skip = from;
        for (int i = 0; i < p.count && done < length; i++) {
            long l = p.lengths[i];
            if (skip >= l) {
                skip -= l;
                continue;
            }
            long n = Math.min(l - skip, length - done);
            MemorySegment.copy(p.segments[i], p.offsets[i] + skip, dst, dstOffset + done, n);
            done += n;
            skip = 0;
        }
        return done;
    }

    @Override
    public long copyToWritable(long to, MemorySegment src, long srcOffset, long length) {
        Parts p = writable;
        long done = 0;
        long skip = to;
        for (int i = 0; i < p.count && done < length; i++) {
            long l = p.lengths[i];
            if (skip >= l) {
                skip -= l;
                continue;
            }
            long n = Math.min(l - skip, length - done);
            MemorySegment.copy(src, srcOffset + done, p.segments[i], p.offsets[i] + skip, n);
            done += n;
            skip = 0;
        }
        return done;
    }

    @Override
    public String toString() {
        return "Chain[id=" + id + ", descriptors=" + descCount + ", readable=" + readable.count + "/"
                + readable.bytes + "B, writable=" + writable.count + "/" + writable.bytes + "B]";
    }

    /** One direction's parts. */
    private static final class Parts {
        // leading padding, as in QueueFault: written for every descriptor
        @SuppressWarnings("unused")
        private long pad0, pad1, pad2, pad3, pad4, pad5, pad6, pad7;
        @SuppressWarnings("unused")
        private long pad8, pad9, pad10, pad11, pad12, pad13, pad14, pad15;

        MemorySegment[] segments = new MemorySegment[8];
        long[] offsets = new long[8];
        long[] lengths = new long[8];
        int count;
        long bytes;

        void add(MemorySegment s, long off, long len) {
            if (count == segments.length) {
                grow();
            }
            // a part's segment is usually the one already in that slot; skipping the store skips its GC barrier
            if (segments[count] != s) {
                segments[count] = s;
            }
            offsets[count] = off;
            lengths[count] = len;
            count++;
            bytes += len;
        }

        private void grow() {
            segments = Arrays.copyOf(segments, count * 2);
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }

        MemorySegment segment(int i) {
            return segments[java.util.Objects.checkIndex(i, count)];
        }

        long offset(int i) {
            return offsets[java.util.Objects.checkIndex(i, count)];
        }

        long length(int i) {
            return lengths[java.util.Objects.checkIndex(i, count)];
        }
    }
}
