package vhost.uapi.internal.proto;

import java.util.List;
import linux.ffm.Fd;

/**
 * One decoded front-end message: the request, its header flags, its payload as a typed body,
 * and the descriptors it carried (owned by whoever handles the message).
 */
public record Message(Request request, int flags, Body body, List<Fd> fds) {

    /** Whether the front-end asked for a reply (NEED_REPLY). */
    public boolean needsReply() {
        return (flags & Wire.NEED_REPLY) != 0;
    }

    /** Closes every descriptor the message brought. */
    public void closeFds() {
        fds.forEach(Fd::close);
    }

    /** A typed payload. */
    public sealed interface Body {}

    /** No payload. */
    public record Empty() implements Body {}

    /** A u64 (features, status, MTU, MAC, or a ring's kick/call/err word). */
    public record U64(long value) implements Body {
        /** The ring index of a SET_VRING_KICK/CALL/ERR word. */
        public int ring() {
            return (int) (value & Wire.VRING_IDX_MASK);
        }

        /** Whether a SET_VRING_KICK/CALL/ERR word says no descriptor comes. */
        public boolean noFd() {
            return (value & Wire.VRING_NOFD_MASK) != 0;
        }
    }

    /** {@code struct vhost_vring_state}: a ring index and a number (size, base, enable). */
    public record VringState(int index, long num) implements Body {}

    /** {@code struct vhost_vring_addr}: user addresses of the ring's three areas. */
    public record VringAddr(int index, int flags, long desc, long used, long avail, long log) implements Body {}

    /** SET_MEM_TABLE's regions. */
    public record MemTable(List<Region> regions) implements Body {}

    /** ADD_MEM_REG's or REM_MEM_REG's one region. */
    public record MemRegion(Region region) implements Body {}

    /** GET_CONFIG / SET_CONFIG: {@code size} bytes at {@code offset}; {@code data} holds them for SET. */
    public record Config(int offset, int size, int flags, byte[] data) implements Body {}

    /**
     * A memory region as the front-end describes it: guest-physical address, size, the user
     * (front-end process) address it is mapped at, and its offset in the descriptor's file.
     */
    public record Region(long gpa, long size, long userAddr, long mmapOffset) {
        /** Whether {@code [userAddr, userAddr + size)} holds {@code [uva, uva + length)}. */
        public boolean holdsUser(long uva, long length) {
            return Long.compareUnsigned(uva, userAddr) >= 0 && Long.compareUnsigned(uva - userAddr, size) < 0
                    && Long.compareUnsigned(length, size - (uva - userAddr)) <= 0;
        }

        /** Whether the guest-physical ranges of the two regions meet. */
        public boolean overlapsGuest(Region o) {
            return Long.compareUnsigned(gpa, o.gpa + o.size - 1) <= 0 && Long.compareUnsigned(o.gpa, gpa + size - 1) <= 0;
        }

        /** Whether the user-address ranges of the two regions meet. */
        public boolean overlapsUser(Region o) {
            return Long.compareUnsigned(userAddr, o.userAddr + o.size - 1) <= 0
                    && Long.compareUnsigned(o.userAddr, userAddr + size - 1) <= 0;
        }

        @Override
        public String toString() {
            return "gpa 0x" + Long.toHexString(gpa) + " size 0x" + Long.toHexString(size) + " uaddr 0x"
                    + Long.toHexString(userAddr) + " offset 0x" + Long.toHexString(mmapOffset);
        }
    }
}
