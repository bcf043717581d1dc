package vhost.uapi.internal.proto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import linux.ffm.Fd;

/**
 * Checks and decodes front-end messages. {@link #header} runs on the 12 header bytes, before the
 * payload is read, so a size that does not fit the request is refused without reading a byte of
 * it; {@link #decode} checks the payload against itself (counts, sizes, wrapping regions) and the
 * descriptors against the request. Every refusal is a {@link ProtocolException}; nothing else
 * escapes, whatever the bytes.
 */
public final class Decoder {
    private Decoder() {}

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    /** A checked header. */
    public record Header(Request request, int flags, int size) {}

    /** Checks a header: version, direction, a known request, and a size that fits it. */
    public static Header header(int request, int flags, int size) throws ProtocolException {
        if ((flags & Wire.VERSION_MASK) != Wire.VERSION) {
            throw new ProtocolException(ProtocolError.BAD_VERSION, "flags 0x" + Integer.toHexString(flags));
        }
        if ((flags & Wire.REPLY) != 0) {
            throw new ProtocolException(ProtocolError.UNEXPECTED_REPLY, "request " + Integer.toUnsignedString(request));
        }
        Request r = Request.of(request);
        if (r == null) {
            throw new ProtocolException(ProtocolError.UNKNOWN_REQUEST, "request " + Integer.toUnsignedString(request));
        }
        boolean fits = switch (r.payload) {
            case NONE -> size == 0;
            case U64, VRING_STATE -> size == 8;
            case VRING_ADDR -> size == Wire.VRING_ADDR_SIZE;
            case MEM_REGION -> size == 8 + Wire.REGION_SIZE;
            case MEM_TABLE -> size >= 8 && size <= 8 + Wire.REGION_SIZE * Wire.MAX_TABLE_REGIONS
                    && (size - 8) % Wire.REGION_SIZE == 0;
            case CONFIG -> size >= Wire.CONFIG_HEADER_SIZE && size <= Wire.MAX_PAYLOAD;
        };
        if (!fits) {
            throw new ProtocolException(ProtocolError.BAD_SIZE, r + " with a payload of " + Integer.toUnsignedString(size) + " bytes");
        }
        return new Header(r, flags, size);
    }

    /**
     * Decodes the payload of a checked header and checks the descriptors that came with it. On a
     * refusal the caller still owns (and closes) the descriptors.
     */
    public static Message decode(Header h, MemorySegment payload, List<Fd> fds) throws ProtocolException {
        if (payload.byteSize() != h.size()) {
            throw new ProtocolException(ProtocolError.TRUNCATED, h.request() + ": " + payload.byteSize() + " of " + h.size() + " bytes");
        }
        Message.Body body = switch (h.request().payload) {
            case NONE -> new Message.Empty();
            case U64 -> new Message.U64(payload.get(U64, 0));
            case VRING_STATE -> new Message.VringState(payload.get(U32, 0), Integer.toUnsignedLong(payload.get(U32, 4)));
            case VRING_ADDR -> new Message.VringAddr(payload.get(U32, 0), payload.get(U32, 4), payload.get(U64, 8),
                    payload.get(U64, 16), payload.get(U64, 24), payload.get(U64, 32));
            case MEM_REGION -> new Message.MemRegion(region(payload, 8));
            case MEM_TABLE -> memTable(payload);
            case CONFIG -> config(h.request(), payload);
        };
        checkFds(h.request(), body, fds.size());
        return new Message(h.request(), h.flags(), body, fds);
    }

    private static Message.MemTable memTable(MemorySegment p) throws ProtocolException {
        long n = Integer.toUnsignedLong(p.get(U32, 0));
        if (n > Wire.MAX_TABLE_REGIONS) {
            throw new ProtocolException(ProtocolError.TOO_MANY_REGIONS, "SET_MEM_TABLE with " + n + " regions (at most "
                    + Wire.MAX_TABLE_REGIONS + ")");
        }
        if (8 + n * Wire.REGION_SIZE != p.byteSize()) {
            throw new ProtocolException(ProtocolError.BAD_SIZE, "SET_MEM_TABLE of " + n + " regions in " + p.byteSize() + " bytes");
        }
        List<Message.Region> regions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            regions.add(region(p, 8 + (long) i * Wire.REGION_SIZE));
        }
        return new Message.MemTable(List.copyOf(regions));
    }

    /** One region, refused if empty or if any of its three ranges wraps past 2^64. */
    private static Message.Region region(MemorySegment p, long at) throws ProtocolException {
        Message.Region r = new Message.Region(p.get(U64, at), p.get(U64, at + 8), p.get(U64, at + 16), p.get(U64, at + 24));
        if (r.size() == 0) {
            throw new ProtocolException(ProtocolError.BAD_REGION, "empty region (" + r + ")");
        }
        if (wraps(r.gpa(), r.size()) || wraps(r.userAddr(), r.size()) || wraps(r.mmapOffset(), r.size())) {
            throw new ProtocolException(ProtocolError.BAD_REGION, "region wraps the address space (" + r + ")");
        }
        return r;
    }

    private static boolean wraps(long start, long size) {
        return Long.compareUnsigned(start + size - 1, start) < 0;
    }

    private static Message.Config config(Request req, MemorySegment p) throws ProtocolException {
        int offset = p.get(U32, 0);
        int size = p.get(U32, 4);
        int flags = p.get(U32, 8);
        if (Integer.toUnsignedLong(size) != p.byteSize() - Wire.CONFIG_HEADER_SIZE) {
            throw new ProtocolException(ProtocolError.BAD_SIZE, req + " of " + Integer.toUnsignedString(size)
                    + " bytes in a payload of " + p.byteSize());
        }
        if (offset < 0) {
            throw new ProtocolException(ProtocolError.BAD_CONFIG_ACCESS, req + " at offset " + Integer.toUnsignedString(offset));
        }
        byte[] data = p.asSlice(Wire.CONFIG_HEADER_SIZE).toArray(ValueLayout.JAVA_BYTE);
        return new Message.Config(offset, size, flags, data);
    }

    /** The descriptor count each request takes. */
    private static void checkFds(Request r, Message.Body body, int n) throws ProtocolException {
        int want;
        switch (r) {
            case SET_MEM_TABLE -> {
                want = ((Message.MemTable) body).regions().size();
                if (n < want) {
                    throw new ProtocolException(ProtocolError.MEMORY_NOT_SHARED, "SET_MEM_TABLE has " + want
                            + " regions but " + n + " descriptors: the front-end's memory must be shared"
                            + " (a memfd or hugetlbfs file; QEMU: memory-backend-memfd with share=on)");
                }
            }
            case ADD_MEM_REG -> {
                want = 1;
                if (n == 0) {
                    throw new ProtocolException(ProtocolError.MEMORY_NOT_SHARED, "ADD_MEM_REG without a descriptor:"
                            + " the front-end's memory must be shared (a memfd or hugetlbfs file)");
                }
            }
            case REM_MEM_REG -> want = Math.min(n, 1);
            case SET_VRING_KICK, SET_VRING_CALL, SET_VRING_ERR -> want = ((Message.U64) body).noFd() ? 0 : 1;
            default -> want = r.maxFds;
        }
        if (n != want) {
            throw new ProtocolException(ProtocolError.BAD_FD_COUNT, r + " with " + n + " descriptors (takes " + want + ")");
        }
    }
}
