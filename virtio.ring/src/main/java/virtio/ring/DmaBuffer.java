package virtio.ring;

import java.lang.foreign.MemorySegment;

/**
 * A piece of a {@link DmaPool}: the driver's view ({@code segment}) and the address the device
 * knows it by ({@code iova}).
 */
public record DmaBuffer(long iova, MemorySegment segment) {

    /** Size in bytes. */
    public long size() {
        return segment.byteSize();
    }
}
