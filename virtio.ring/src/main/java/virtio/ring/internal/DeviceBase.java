package virtio.ring.internal;

import java.lang.foreign.MemorySegment;
import virtio.ring.AddressSpace;
import virtio.ring.DescriptorChain;
import virtio.ring.DeviceQueue;
import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;
import virtio.spec.VirtioFeatures;
import virtio.spec.Virtq;

/**
 * What both device-side layouts share: the broken flag, error counting, ring area and indirect
 * table resolution, and the guard that turns a vanished memory segment into a broken queue
 * instead of an exception on the device's thread.
 */
abstract class DeviceBase extends QueueFault implements DeviceQueue {

    final int size;
    final boolean indirect;
    final boolean eventIdx;
    final AddressSpace.Resolver resolver;
    private final Chain own = new Chain();
    /** Whether the device currently asks for available buffer notifications. */
    boolean notifications = true;
    /**
     * EVENT_IDX: whether the position the driver should kick at was advertised behind a full fence
     * since the last buffer taken (see {@link #readvertise}).
     */
    private boolean advertised;
    /** Ring descriptors each popped id took (packed rings skip that many when it is used). */
    final int[] descCounts;

    // IN_ORDER (2.7.9, 2.8.13): ids in flight in pop order, and used entries pushed but not published
    private final boolean inOrder;
    private final int[] inFlight;
    private int inFlightHead;
    private int inFlightCount;
    private final long[] capacity;
    private final int[] pendingIds;
    private final int[] pendingLengths;
    private int pendingCount;

    DeviceBase(AddressSpace space, int size, long features, RingErrorCounter errors) {
        super(errors);
        this.size = size;
        this.indirect = VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_INDIRECT_DESC);
        this.eventIdx = VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_EVENT_IDX);
        this.inOrder = VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_IN_ORDER);
        this.resolver = space.resolver();
        int n = size >= 1 && size <= Virtq.VIRTQ_MAX_SIZE ? size : 0;
        this.descCounts = new int[n];
        int m = inOrder ? n : 0;
        this.inFlight = new int[m];
        this.capacity = new long[m];
        this.pendingIds = new int[m];
        this.pendingLengths = new int[m];
    }

    /** Takes the next chain into {@code c}; false if none or refused (then {@link #fail} was called). */
    abstract boolean take(Chain c);

    /**
     * Writes one used entry at the device's used position for {@code buffers} buffers (more than
     * one only for an IN_ORDER batch) taking {@code descriptors} ring descriptors, and advances.
     */
    abstract void writeUsed(int id, int writtenLength, int buffers, int descriptors);

    abstract void doPublishUsed();

    abstract boolean doNeedsNotify();

    abstract void doDisableNotifications();

    abstract boolean doEnableNotifications();

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final DescriptorChain newChain() {
        return new Chain();
    }

    @Override
    public final DescriptorChain pop() {
        return pop(own) ? own : null;
    }

    @Override
    public final boolean pop(DescriptorChain into) {
        if (!(into instanceof Chain c)) {
            throw new IllegalArgumentException("chain not from newChain()");
        }
        if (broken != null) {
            return false;
        }
        try {
            if (!take(c) && !(readvertise() && take(c))) {
                return false;
            }
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return memoryFault();
        }
        advertised = false;
        descCounts[c.id] = c.descCount;
        return !inOrder || trackInOrder(c);
    }

    /**
     * The ring looked empty. With EVENT_IDX and notifications on, each pop moved the advertised
     * kick position with a plain store; the driver may have read an older one and skipped its
     * kick, while our read of the ring missed its new buffer (store-load). So before an empty
     * answer, which is where a device waits for a kick, the position is advertised again behind a
     * full fence and the ring read once more: the device-side twin of the driver's used_event
     * recheck. Once per empty spell, so an idle poll stores and fences nothing.
     *
     * @return true if buffers turned up: take again
     */
    private boolean readvertise() {
        if (!eventIdx || !notifications || advertised || broken != null) {
            return false;
        }
        advertised = true;
        return doEnableNotifications();
    }

    /** IN_ORDER: remembers the pop order; more buffers in flight than the queue holds is a driver fault. */
    private boolean trackInOrder(Chain c) {
        if (inFlightCount == size) {
            return fail(RingError.AVAIL_IDX_AHEAD);
        }
        inFlight[(inFlightHead + inFlightCount++) % size] = c.id;
        capacity[c.id] = c.writableBytes();
        return true;
    }

    @Override
    public final void pushUsed(int id, int writtenLength) {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException("id " + id + " out of range");
        }
        if (broken != null) {
            return;
        }
        if (inOrder) {
            pushInOrder(id, writtenLength);
            return;
        }
        try {
            writeUsed(id, writtenLength, 1, descCounts[id]);
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            memoryFault();
        }
    }

    /** IN_ORDER: used buffers must come back in the order they were popped; they are written at publish. */
    private void pushInOrder(int id, int writtenLength) {
        if (inFlightCount == 0 || inFlight[inFlightHead] != id) {
            throw new IllegalArgumentException("IN_ORDER: buffer " + id + " is not the oldest in flight");
        }
        inFlightHead = (inFlightHead + 1) % size;
        inFlightCount--;
        pendingIds[pendingCount] = id;
        pendingLengths[pendingCount] = writtenLength;
        if (++pendingCount == size) {
            // full: write the entries now, still unpublished, so the arrays can take more
            try {
                writeInOrder();
            } catch (IllegalStateException | IndexOutOfBoundsException e) {
                memoryFault();
            }
        }
    }

    /**
     * IN_ORDER batching (2.7.9, 2.8.13): a run of buffers each used completely, plus the one after
     * it, is written as one used entry naming the last; the driver counts the others as used whole.
     */
    private void writeInOrder() {
        int i = 0;
        while (i < pendingCount) {
            int j = i;
            int descriptors = descCounts[pendingIds[j]];
            while (j + 1 < pendingCount && Integer.toUnsignedLong(pendingLengths[j]) == capacity[pendingIds[j]]) {
                j++;
                descriptors += descCounts[pendingIds[j]];
            }
            writeUsed(pendingIds[j], pendingLengths[j], j - i + 1, descriptors);
            i = j + 1;
        }
        pendingCount = 0;
    }

    @Override
    public final void publishUsed() {
        if (broken != null) {
            return;
        }
        try {
            if (pendingCount > 0) {
                writeInOrder();
            }
            doPublishUsed();
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            memoryFault();
        }
    }

    @Override
    public final boolean needsNotify() {
        if (broken != null) {
            return false;
        }
        try {
            return doNeedsNotify();
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return memoryFault();
        }
    }

    @Override
    public final void disableNotifications() {
        notifications = false;
        if (broken != null) {
            return;
        }
        try {
            doDisableNotifications();
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            memoryFault();
        }
    }

    @Override
    public final boolean enableNotifications() {
        notifications = true;
        if (broken != null) {
            return false;
        }
        try {
            return doEnableNotifications();
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return memoryFault();
        }
    }

    /** Marks the queue broken (the first reason wins) and counts the reason. Always false. */
    final boolean fail(RingError reason) {
        markBroken(reason);
        return false;
    }

    private boolean memoryFault() {
        return fail(RingError.MEMORY_FAULT);
    }

    /**
     * A ring area as its own slice, or null if it is not wholly inside one mapping with
     * {@code permission}, or is misaligned as a bus address or in host memory.
     */
    final MemorySegment area(long addr, long bytes, int permission, int align) {
        if ((addr & (align - 1)) != 0) {
            return null;
        }
        if (resolver.resolve(addr, bytes, permission) != bytes) {
            return null;
        }
        MemorySegment s = resolver.segment().asSlice(resolver.offset(), bytes);
        return s.isNative() && (s.address() & (align - 1)) == 0 ? s : null;
    }

    /**
     * Checks a descriptor with VIRTQ_DESC_F_INDIRECT and resolves its table; on success the
     * table starts at {@code resolver.segment()} / {@code resolver.offset()}.
     *
     * @return null, or why the descriptor is refused
     */
    final RingError resolveTable(int flags, long addr, int len, int nextFlag) {
        if (!indirect) {
            return RingError.INDIRECT_NOT_NEGOTIATED;
        }
        if ((flags & nextFlag) != 0) {
            return RingError.INDIRECT_WITH_NEXT;
        }
        long bytes = Integer.toUnsignedLong(len);
        if (bytes == 0 || (bytes & 15) != 0) {
            return RingError.INDIRECT_BAD_LENGTH;
        }
        if (Long.compareUnsigned(addr + bytes - 1, addr) < 0) {
            return RingError.ADDRESS_WRAP;
        }
        long got = resolver.resolve(addr, bytes, AddressSpace.READ);
        if (got == AddressSpace.Resolver.DENIED) {
            return RingError.PERMISSION_DENIED;
        }
        // a table must lie in one mapping; one split across mappings is refused as unmapped
        return got == bytes ? null : RingError.UNMAPPED_ADDRESS;
    }
}
