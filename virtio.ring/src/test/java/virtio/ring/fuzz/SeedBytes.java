package virtio.ring.fuzz;

import java.io.ByteArrayOutputStream;

/** Writes what {@link FuzzInput} reads: the seed generator's side of the input format. */
final class SeedBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    SeedBytes u8(int v) {
        out.write(v);
        return this;
    }

    SeedBytes u16(int v) {
        return u8(v).u8(v >>> 8);
    }

    SeedBytes u32(long v) {
        return u16((int) v).u16((int) (v >>> 16));
    }

    SeedBytes u64(long v) {
        return u32(v).u32(v >>> 32);
    }

    SeedBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A 16-byte descriptor as both layouts store it: le64 addr, le32 len, then two le16 fields. */
    static byte[] descriptor(long addr, int len, int a, int b) {
        return new SeedBytes().u64(addr).u32(len).u16(a).u16(b).toByteArray();
    }
}
