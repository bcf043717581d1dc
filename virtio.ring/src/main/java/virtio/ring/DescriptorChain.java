package virtio.ring;

import java.lang.foreign.MemorySegment;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A validated buffer the device side took from the ring: its id and its device-readable and
 * device-writable parts, zero copy. Each part is a region of a mapped segment, given without
 * allocation as (segment, offset, length); {@link #readable(int)} and {@link #writable(int)} slice
 * it for convenience (and allocate). A descriptor that crosses from one mapping into the next
 * yields one part per mapping; zero-length descriptors yield none.
 *
 * <p>The queue reuses the object it returns from {@link DeviceQueue#pop()} on the next pop: keep
 * the {@link #id()}, not the object, or fill a chain of your own with {@link DeviceQueue#pop(DescriptorChain)}.
 */
@ProviderType
public interface DescriptorChain {

    /** The id to return with {@link DeviceQueue#pushUsed}: split head index or packed buffer id. */
    int id();

    /** Number of ring (not indirect table) descriptors the chain took; packed rings skip this many on use. */
    int descriptorCount();

    /** Number of device-readable parts. */
    int readableCount();

    /** The mapped segment holding readable part {@code i}. */
    MemorySegment readableSegment(int i);

    /** Offset of readable part {@code i} in its segment. */
    long readableOffset(int i);

    /** Length of readable part {@code i}. */
    long readableLength(int i);

    /** Total device-readable bytes. */
    long readableBytes();

    /** Number of device-writable parts. */
    int writableCount();

    /** The mapped segment holding writable part {@code i}. */
    MemorySegment writableSegment(int i);

    /** Offset of writable part {@code i} in its segment. */
    long writableOffset(int i);

    /** Length of writable part {@code i}. */
    long writableLength(int i);

    /** Total device-writable bytes. */
    long writableBytes();

    /** Readable part {@code i} as its own slice (allocates). */
    default MemorySegment readable(int i) {
        return readableSegment(i).asSlice(readableOffset(i), readableLength(i));
    }

    /** Writable part {@code i} as its own slice (allocates). */
    default MemorySegment writable(int i) {
        return writableSegment(i).asSlice(writableOffset(i), writableLength(i));
    }

    /**
     * Gathers up to {@code length} bytes of the readable data, starting {@code from} bytes into it,
     * into {@code dst} at {@code dstOffset}. Allocates nothing.
     *
     * @return bytes copied (less than {@code length} if the readable data ends first)
     */
    long copyFromReadable(long from, MemorySegment dst, long dstOffset, long length);

    /**
     * Scatters up to {@code length} bytes from {@code src} at {@code srcOffset} into the writable
     * parts, starting {@code to} bytes into them. Allocates nothing.
     *
     * @return bytes copied (less than {@code length} if the writable space ends first)
     */
    long copyToWritable(long to, MemorySegment src, long srcOffset, long length);
}
