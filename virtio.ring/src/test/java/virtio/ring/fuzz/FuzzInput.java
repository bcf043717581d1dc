package virtio.ring.fuzz;

/**
 * The fuzz targets' input: a little-endian byte reader that never fails. Past the end every read
 * returns zero, so any byte string, the empty one included, is a complete input; the fuzzer only
 * decides values, never whether the harness can parse them.
 */
final class FuzzInput {

    private final byte[] data;
    private int pos;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    boolean hasMore() {
        return pos < data.length;
    }

    int u8() {
        return pos < data.length ? data[pos++] & 0xff : 0;
    }

    int u16() {
        return u8() | u8() << 8;
    }

    long u32() {
        return u16() | (long) u16() << 16;
    }

    long u64() {
        return u32() | u32() << 32;
    }

    /** Up to {@code n} bytes, fewer if the input ends first. */
    byte[] bytes(int n) {
        int k = Math.min(n, data.length - pos);
        byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + k);
        pos += k;
        return out;
    }
}
