package virtio.bus;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Consistent reads of a device's config space: the generation loop the kernel's
 * {@code virtio_cread_bytes} runs, bounded so that a device whose generation never settles fails
 * the read instead of spinning forever. Multi-byte fields are little-endian (virtio 1.x).
 */
public final class ConfigSpace {
    private ConfigSpace() {}

    /** How many times a read is retried while the generation keeps changing. */
    public static final int MAX_ATTEMPTS = 64;

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Reads {@code length} bytes at {@code offset}, retrying until the generation is the same
     * before and after the read, so no field of the result comes from a different config version.
     *
     * @throws IndexOutOfBoundsException the range is outside config space
     * @throws IllegalStateException the generation changed on each of {@link #MAX_ATTEMPTS} reads
     */
    public static byte[] read(VirtioDevice device, int offset, int length) {
        if (length < 0 || offset < 0 || (long) offset + length > device.configSize()) {
            throw new IndexOutOfBoundsException("config read [" + offset + ", +" + length + ") outside config size "
                    + device.configSize());
        }
        byte[] buf = new byte[length];
        MemorySegment seg = MemorySegment.ofArray(buf);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int before = device.configGeneration();
            device.readConfig(offset, seg);
            if (device.configGeneration() == before) {
                return buf;
            }
        }
        throw new IllegalStateException("config generation did not settle over " + MAX_ATTEMPTS + " reads");
    }

    /** A little-endian u8 field, generation-checked. */
    public static int readU8(VirtioDevice device, int offset) {
        return read(device, offset, 1)[0] & 0xff;
    }

    /** A little-endian u16 field, generation-checked. */
    public static int readLe16(VirtioDevice device, int offset) {
        return MemorySegment.ofArray(read(device, offset, 2)).get(LE16, 0) & 0xffff;
    }

    /** A little-endian u32 field, generation-checked. */
    public static int readLe32(VirtioDevice device, int offset) {
        return MemorySegment.ofArray(read(device, offset, 4)).get(LE32, 0);
    }

    /** A little-endian u64 field, generation-checked. */
    public static long readLe64(VirtioDevice device, int offset) {
        return MemorySegment.ofArray(read(device, offset, 8)).get(LE64, 0);
    }

    /** Writes bytes to config space (no generation check applies to writes). */
    public static void write(VirtioDevice device, int offset, byte[] bytes) {
        device.writeConfig(offset, MemorySegment.ofArray(bytes.clone()));
    }
}
