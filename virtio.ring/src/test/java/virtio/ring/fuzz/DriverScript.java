package virtio.ring.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The driver target's input, parsed (purely) into a queue set-up and the steps of a driver, a
 * hostile device writing ring memory, and an honest device. Format, little-endian, zeros past the end:
 * <pre>
 * u8  size         split: 2^(size % 9); packed: size + 1           (1..256)
 * u8  flags        bit 0 INDIRECT_DESC, 1 EVENT_IDX, 2 IN_ORDER
 * u8  indirectMax  mod 17
 * then up to 96 ops, each a u8 opcode (mod 8) and its operands:
 * 0 ADD        u8 shape (bits 0-1 readable, 2-3 writable elements), one u8 length per element
 * 1 POKE       u8 area (mod 3: descriptor, driver, device area), u16 offset (mod area), u8 n, n bytes
 * 2 POLL       u8 max (0: until none)
 * 3 DRAIN      u8 max (0: the queue size)
 * 4 CALLBACKS  u8 (bit 0: enable, else disable)
 * 5 KICK       kick decision and notification data
 * 6 DEVICE     u8 max chains (0: until none), u16 written-length cap: an honest device serves
 * 7 DETACH     reset: take back every unused buffer
 * </pre>
 */
record DriverScript(int sizeByte, int flags, int indirectMax, List<Op> ops) {

    static final int MAX_OPS = 96;

    static final int ADD = 0;
    static final int POKE = 1;
    static final int POLL = 2;
    static final int DRAIN = 3;
    static final int CALLBACKS = 4;
    static final int KICK = 5;
    static final int DEVICE = 6;
    static final int DETACH = 7;
    private static final int OPCODES = 8;

    /** Areas a POKE can write. */
    static final int DESCRIPTOR_AREA = 0;
    static final int DRIVER_AREA = 1;
    static final int DEVICE_AREA = 2;

    sealed interface Op {}

    record Add(int readable, int writable, int[] lengths) implements Op {}

    record Poke(int area, int offset, byte[] bytes) implements Op {}

    record Poll(int max, boolean drain) implements Op {}

    record Callbacks(boolean enable) implements Op {}

    record Kick() implements Op {}

    record Device(int max, int writtenCap) implements Op {}

    record Detach() implements Op {}

    static DriverScript parse(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int size = in.u8();
        int flags = in.u8();
        int indirectMax = in.u8() % 17;
        List<Op> ops = new ArrayList<>();
        while (in.hasMore() && ops.size() < MAX_OPS) {
            ops.add(switch (in.u8() % OPCODES) {
                case ADD -> {
                    int shape = in.u8();
                    int r = shape & 3;
                    int w = shape >>> 2 & 3;
                    int[] lengths = new int[r + w];
                    for (int i = 0; i < lengths.length; i++) {
                        lengths[i] = in.u8();
                    }
                    yield new Add(r, w, lengths);
                }
                case POKE -> new Poke(in.u8() % 3, in.u16(), in.bytes(in.u8()));
                case POLL -> new Poll(in.u8(), false);
                case DRAIN -> new Poll(in.u8(), true);
                case CALLBACKS -> new Callbacks((in.u8() & 1) != 0);
                case KICK -> new Kick();
                case DEVICE -> new Device(in.u8(), in.u16());
                default -> new Detach();
            });
        }
        return new DriverScript(size, flags, indirectMax, ops);
    }

    boolean feature(int bit) {
        return (flags & 1 << bit) != 0;
    }

    /** Seed writer for this format. */
    static final class Writer {
        private final SeedBytes out = new SeedBytes();

        Writer(int sizeByte, int flags, int indirectMax) {
            out.u8(sizeByte).u8(flags).u8(indirectMax);
        }

        /** A buffer of {@code readable} then {@code writable} elements with these lengths (0-255 each). */
        Writer add(int readable, int writable, int... lengths) {
            out.u8(ADD).u8(readable | writable << 2);
            for (int l : lengths) {
                out.u8(l);
            }
            return this;
        }

        Writer poke(int area, int offset, byte[] bytes) {
            out.u8(POKE).u8(area).u16(offset).u8(bytes.length).bytes(bytes);
            return this;
        }

        Writer poll(int max) {
            out.u8(POLL).u8(max);
            return this;
        }

        Writer drain(int max) {
            out.u8(DRAIN).u8(max);
            return this;
        }

        Writer callbacks(boolean enable) {
            out.u8(CALLBACKS).u8(enable ? 1 : 0);
            return this;
        }

        Writer kick() {
            out.u8(KICK);
            return this;
        }

        Writer device(int max, int writtenCap) {
            out.u8(DEVICE).u8(max).u16(writtenCap);
            return this;
        }

        Writer detach() {
            out.u8(DETACH);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
