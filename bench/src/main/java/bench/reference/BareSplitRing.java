package bench.reference;

import static virtio.spec.Virtq.VIRTQ_DESC_F_NEXT;
import static virtio.spec.Virtq.VIRTQ_DESC_F_WRITE;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_ELEM_SIZE;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_FLAGS;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_F_NO_INTERRUPT;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_IDX;
import static virtio.spec.VirtqSplit.VIRTQ_AVAIL_RING;
import static virtio.spec.VirtqSplit.VIRTQ_DESC_LEN;
import static virtio.spec.VirtqSplit.VIRTQ_DESC_SIZE;
import static virtio.spec.VirtqSplit.VIRTQ_USED_ALIGN;
import static virtio.spec.VirtqSplit.VIRTQ_USED_ELEM_SIZE;
import static virtio.spec.VirtqSplit.VIRTQ_USED_FLAGS;
import static virtio.spec.VirtqSplit.VIRTQ_USED_F_NO_NOTIFY;
import static virtio.spec.VirtqSplit.VIRTQ_USED_IDX;
import static virtio.spec.VirtqSplit.VIRTQ_USED_RING;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import virtio.spec.VirtqSplit;

/**
 * The split virtqueue's memory traffic (2.7) and nothing else, a yardstick for what the ring
 * format itself costs in Java: per buffer the driver writes two chained descriptors, an avail
 * entry and (per batch) the avail idx with release; the device reads the idx with acquire, the
 * entry and the descriptors, writes a used element and (per batch) the used idx with release; the
 * driver reads the used idx with acquire and the element. The kick and interrupt decisions read
 * the other side's flags as virtio.ring does.
 *
 * <p>Everything virtio.ring adds is left out: no validation of anything read, no address
 * translation, no free list (the device must complete buffers in order, as the benchmarks' device
 * does), no broken state. It trusts its peer completely, so it is a measuring stick, never a ring
 * to use. Single driver thread, single device thread.
 */
public final class BareSplitRing implements AutoCloseable {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64_UNALIGNED =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena = Arena.ofShared();
    private final MemorySegment desc;
    private final MemorySegment avail;
    private final MemorySegment used;
    private final int size;
    private final int mask;
    private final Driver driver;
    private final Device device;

    /** A ring of {@code size} (a power of two) in one shared-arena allocation, laid out as a split ring. */
    public BareSplitRing(int size) {
        if (!VirtqSplit.isValidSize(size)) {
            throw new IllegalArgumentException("size " + size);
        }
        this.size = size;
        this.mask = size - 1;
        long descBytes = VirtqSplit.descTableSize(size);
        long availBytes = VirtqSplit.availRingSize(size);
        long usedOffset = (descBytes + availBytes + VIRTQ_USED_ALIGN - 1) & -VIRTQ_USED_ALIGN;
        MemorySegment all = arena.allocate(usedOffset + VirtqSplit.usedRingSize(size), 4096);
        desc = all.asSlice(0, descBytes);
        avail = all.asSlice(descBytes, availBytes);
        used = all.asSlice(usedOffset, VirtqSplit.usedRingSize(size));
        driver = new Driver();
        device = new Device();
    }

    /** The driver side; call from one thread. */
    public Driver driver() {
        return driver;
    }

    /** The device side; call from one thread. */
    public Device device() {
        return device;
    }

    @Override
    public void close() {
        arena.close();
    }

    /**
     * Driver state. The sixteen unused longs go first in HotSpot's field layout (widest first),
     * so the hot fields of the driver and of the device objects are always 128 bytes apart.
     */
    public final class Driver {
        long p01, p02, p03, p04, p05, p06, p07, p08;
        long q01, q02, q03, q04, q05, q06, q07, q08;
        private final Object[] tokens = new Object[size];
        private int nextDesc;
        private int inFlight;
        private int availIdx;
        private int publishedAvail;
        private int kickedAvail;
        private int lastUsed;
        private int seenUsed;

        /**
         * Writes a buffer of one readable and one writable element; exposed at the next
         * {@link #publish}. False if the descriptors are all in flight.
         */
        public boolean stage(long readAddr, int readLen, long writeAddr, int writeLen, Object token) {
            if (inFlight + 2 > size) {
                return false;
            }
            int head = nextDesc & mask;
            int second = (head + 1) & mask;
            long o = (long) head * VIRTQ_DESC_SIZE;
            desc.set(U64, o, readAddr);
            desc.set(U64, o + VIRTQ_DESC_LEN, tail(readLen, VIRTQ_DESC_F_NEXT, second));
            o = (long) second * VIRTQ_DESC_SIZE;
            desc.set(U64, o, writeAddr);
            desc.set(U64, o + VIRTQ_DESC_LEN, tail(writeLen, VIRTQ_DESC_F_WRITE, 0));
            nextDesc += 2;
            inFlight += 2;
            tokens[head] = token;
            avail.set(U16, VIRTQ_AVAIL_RING + (long) VIRTQ_AVAIL_ELEM_SIZE * (availIdx & mask), (short) head);
            availIdx = (availIdx + 1) & 0xffff;
            return true;
        }

        /** Exposes the staged buffers with one avail idx store. */
        public void publish() {
            if (availIdx != publishedAvail) {
                publishedAvail = availIdx;
                // release: descriptors and entries before the index that exposes them
                VarHandle.releaseFence();
                avail.set(U16, VIRTQ_AVAIL_IDX, (short) availIdx);
            }
        }

        /** Publishes, then reads the device's flags once as the real ring does when no fence is needed. */
        public boolean kickPrepare() {
            publish();
            if (kickedAvail == availIdx) {
                return false;
            }
            kickedAvail = availIdx;
            int flags = used.get(U16, VIRTQ_USED_FLAGS);
            VarHandle.acquireFence();
            return (flags & VIRTQ_USED_F_NO_NOTIFY) == 0;
        }

        /** The next used buffer's token, or null. */
        public Object poll() {
            int last = lastUsed;
            if (last == seenUsed) {
                int idx = used.get(U16, VIRTQ_USED_IDX) & 0xffff;
                // acquire: elements after the index that published them
                VarHandle.acquireFence();
                seenUsed = idx;
                if (idx == last) {
                    return null;
                }
            }
            long elem = used.get(U64_UNALIGNED, VIRTQ_USED_RING + (long) VIRTQ_USED_ELEM_SIZE * (last & mask));
            lastUsed = (last + 1) & 0xffff;
            int head = (int) elem & mask;
            Object token = tokens[head];
            tokens[head] = null;
            inFlight -= 2;
            return token;
        }
    }

    /** Device state, padded as {@link Driver} is. */
    public final class Device {
        long p01, p02, p03, p04, p05, p06, p07, p08;
        long q01, q02, q03, q04, q05, q06, q07, q08;
        private int lastAvail;
        private int seenAvail;
        private int usedIdx;
        private int publishedUsed;
        private int signalledUsed;
        /** Sum of the lengths of the last chain taken, so the walk cannot be optimised away. */
        private long chainBytes;

        /** Takes the next available chain, following its NEXT links; its head, or -1 if none. */
        public int pop() {
            int last = lastAvail;
            if (last == seenAvail) {
                int idx = avail.get(U16, VIRTQ_AVAIL_IDX) & 0xffff;
                // acquire: entries and descriptors after the index that published them
                VarHandle.acquireFence();
                seenAvail = idx;
                if (idx == last) {
                    return -1;
                }
            }
            int head = avail.get(U16, VIRTQ_AVAIL_RING + (long) VIRTQ_AVAIL_ELEM_SIZE * (last & mask)) & mask;
            lastAvail = (last + 1) & 0xffff;
            long bytes = 0;
            int i = head;
            while (true) {
                long o = (long) i * VIRTQ_DESC_SIZE;
                long addr = desc.get(U64, o);
                long tail = desc.get(U64, o + VIRTQ_DESC_LEN);
                bytes += (tail & 0xffff_ffffL) + (addr & 1);
                if (((tail >>> 32) & VIRTQ_DESC_F_NEXT) == 0) {
                    break;
                }
                i = (int) (tail >>> 48) & mask;
            }
            chainBytes = bytes;
            return head;
        }

        /** Bytes in the last chain taken. */
        public long chainBytes() {
            return chainBytes;
        }

        /** Writes a used element; visible at the next {@link #publishUsed}. */
        public void pushUsed(int head, int written) {
            long o = VIRTQ_USED_RING + (long) VIRTQ_USED_ELEM_SIZE * (usedIdx & mask);
            used.set(U64_UNALIGNED, o, Integer.toUnsignedLong(head) | (long) written << 32);
            usedIdx = (usedIdx + 1) & 0xffff;
        }

        /** Exposes the pushed elements with one used idx store. */
        public void publishUsed() {
            if (usedIdx != publishedUsed) {
                publishedUsed = usedIdx;
                // release: elements before the index that publishes them
                VarHandle.releaseFence();
                used.set(U16, VIRTQ_USED_IDX, (short) usedIdx);
            }
        }

        /** Reads the driver's flags once, as the real ring does when no fence is needed. */
        public boolean needsNotify() {
            if (signalledUsed == publishedUsed) {
                return false;
            }
            signalledUsed = publishedUsed;
            int flags = avail.get(U16, VIRTQ_AVAIL_FLAGS);
            VarHandle.acquireFence();
            return (flags & VIRTQ_AVAIL_F_NO_INTERRUPT) == 0;
        }
    }

    private static long tail(int len, int flags, int next) {
        return Integer.toUnsignedLong(len) | (long) flags << 32 | (long) next << 48;
    }
}
