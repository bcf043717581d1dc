package virtio.ring.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The device target's input, parsed (purely: no memory, no queue) into a ring set-up and a list of
 * what the hostile driver and the device do in turn. Format, little-endian, zeros past the end:
 * <pre>
 * u8  size       split: 2^(size % 9); packed: size + 1           (1..256)
 * u8  flags      bit 0 INDIRECT_DESC, 1 EVENT_IDX, 2 IN_ORDER;
 *                bit 3/4 packed avail/used wrap counter starts false;
 *                bits 5-7 ring area permission: 1 READ only, 2 WRITE only, else READ|WRITE
 * u16 stateA     split last avail idx; packed last avail offset (mod size)
 * u16 stateB     split used idx; packed used offset (mod size)
 * then up to 64 ops, each a u8 opcode (mod 7) and its operands:
 * 0 POKE_RING  u16 offset (mod ring area), u8 n, n bytes   the driver writes its ring area
 * 1 POKE_DATA  u16 offset (mod data area), u8 n, n bytes   the driver writes buffer memory
 * 2 MAP        u16 data offset, u16 length, u64 iova, u8 permission (mod 3, + 1)
 * 3 UNMAP      u64 iova, u32 size
 * 4 SERVE      u8 mode (bit 0: return all at the end, not one by one), u16 written-length cap
 * 5 NOTIFY     u8 (bit 0: enable, else disable) available-buffer notifications
 * 6 MIGRATE    carry the state to a fresh device queue (vDPA get/set_vq_state)
 * </pre>
 * The harness serves once more after the last op.
 */
record DeviceScript(int sizeByte, int flags, int stateA, int stateB, List<Op> ops) {

    static final int MAX_OPS = 64;

    static final int POKE_RING = 0;
    static final int POKE_DATA = 1;
    static final int MAP = 2;
    static final int UNMAP = 3;
    static final int SERVE = 4;
    static final int NOTIFY = 5;
    static final int MIGRATE = 6;
    private static final int OPCODES = 7;

    sealed interface Op {}

    record Poke(boolean ring, int offset, byte[] bytes) implements Op {}

    record MapData(int dataOffset, int length, long iova, int permission) implements Op {}

    record Unmap(long iova, long size) implements Op {}

    record Serve(boolean deferReturns, int writtenCap) implements Op {}

    record Notify(boolean enable) implements Op {}

    record Migrate() implements Op {}

    static DeviceScript parse(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int size = in.u8();
        int flags = in.u8();
        int a = in.u16();
        int b = in.u16();
        List<Op> ops = new ArrayList<>();
        while (in.hasMore() && ops.size() < MAX_OPS) {
            ops.add(switch (in.u8() % OPCODES) {
                case POKE_RING -> new Poke(true, in.u16(), in.bytes(in.u8()));
                case POKE_DATA -> new Poke(false, in.u16(), in.bytes(in.u8()));
                case MAP -> new MapData(in.u16(), in.u16(), in.u64(), in.u8() % 3 + 1);
                case UNMAP -> new Unmap(in.u64(), in.u32());
                case SERVE -> new Serve((in.u8() & 1) != 0, in.u16());
                case NOTIFY -> new Notify((in.u8() & 1) != 0);
                default -> new Migrate();
            });
        }
        return new DeviceScript(size, flags, a, b, ops);
    }

    boolean feature(int bit) {
        return (flags & 1 << bit) != 0;
    }

    /** READ, WRITE or READ|WRITE for the ring area mapping. */
    int ringPermission() {
        int p = flags >>> 5;
        return p == 1 || p == 2 ? p : 3;
    }

    /** Seed writer for this format. */
    static final class Writer {
        private final SeedBytes out = new SeedBytes();

        Writer(int sizeByte, int flags, int stateA, int stateB) {
            out.u8(sizeByte).u8(flags).u16(stateA).u16(stateB);
        }

        Writer pokeRing(int offset, byte[] bytes) {
            out.u8(POKE_RING).u16(offset).u8(bytes.length).bytes(bytes);
            return this;
        }

        Writer pokeData(int offset, byte[] bytes) {
            out.u8(POKE_DATA).u16(offset).u8(bytes.length).bytes(bytes);
            return this;
        }

        Writer map(int dataOffset, int length, long iova, int permission) {
            out.u8(MAP).u16(dataOffset).u16(length).u64(iova).u8(permission - 1);
            return this;
        }

        Writer unmap(long iova, long size) {
            out.u8(UNMAP).u64(iova).u32(size);
            return this;
        }

        Writer serve(boolean deferReturns, int writtenCap) {
            out.u8(SERVE).u8(deferReturns ? 1 : 0).u16(writtenCap);
            return this;
        }

        Writer notify(boolean enable) {
            out.u8(NOTIFY).u8(enable ? 1 : 0);
            return this;
        }

        Writer migrate() {
            out.u8(MIGRATE);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
