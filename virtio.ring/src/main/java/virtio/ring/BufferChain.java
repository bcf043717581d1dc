package virtio.ring;

/**
 * A buffer the driver offers: device-readable elements followed by device-writable ones, each a
 * bus address and a length. Build one, hand it to {@link DriverQueue#add}, then {@link #clear()}
 * and reuse it: it allocates only when it grows past its capacity.
 *
 * <p>Not thread-safe. Misuse (a readable element after a writable one, a negative length) is the
 * caller's bug and throws.
 */
public final class BufferChain {

    private long[] addresses;
    private int[] lengths;
    private int count;
    private int readable;
    private long writableBytes;

    /** A chain with room for {@code capacity} elements before it grows. */
    public BufferChain(int capacity) {
        addresses = new long[Math.max(1, capacity)];
        lengths = new int[Math.max(1, capacity)];
    }

    /** Empties the chain for reuse. */
    public BufferChain clear() {
        count = 0;
        readable = 0;
        writableBytes = 0;
        return this;
    }

    /**
     * Appends a device-readable element.
     *
     * @throws IllegalStateException if a writable element was already added
     */
    public BufferChain readable(long iova, int length) {
        if (readable != count) {
            throw new IllegalStateException("readable element after a writable one");
        }
        append(iova, length);
        readable++;
        return this;
    }

    /** Appends a device-writable element. */
    public BufferChain writable(long iova, int length) {
        append(iova, length);
        writableBytes += length;
        return this;
    }

    /** Appends a whole DMA buffer as a device-readable element. */
    public BufferChain readable(DmaBuffer buffer) {
        return readable(buffer.iova(), Math.toIntExact(buffer.size()));
    }

    /** Appends a whole DMA buffer as a device-writable element. */
    public BufferChain writable(DmaBuffer buffer) {
        return writable(buffer.iova(), Math.toIntExact(buffer.size()));
    }

    /** Number of elements. */
    public int count() {
        return count;
    }

    /** Number of device-readable elements (they come first). */
    public int readableCount() {
        return readable;
    }

    /** Bus address of element {@code i}. */
    public long address(int i) {
        return addresses[i];
    }

    /** Length of element {@code i}. */
    public int length(int i) {
        return lengths[i];
    }

    /** Whether element {@code i} is device-writable. */
    public boolean isWritable(int i) {
        return i >= readable;
    }

    /** Total bytes the device may write. */
    public long writableBytes() {
        return writableBytes;
    }

    private void append(long iova, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length " + length);
        }
        if (count == addresses.length) {
            grow();
        }
        addresses[count] = iova;
        lengths[count] = length;
        count++;
    }

    private void grow() {
        addresses = java.util.Arrays.copyOf(addresses, count * 2);
        lengths = java.util.Arrays.copyOf(lengths, count * 2);
    }
}
