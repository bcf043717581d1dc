package virtio.ring.internal;

import java.util.Objects;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;
import virtio.ring.RingError;
import virtio.ring.RingErrorCounter;
import virtio.ring.UsedConsumer;
import virtio.spec.VirtioFeatures;
import virtio.spec.Virtq;
import virtio.spec.VirtqPacked;
import virtio.spec.VirtqSplit;

/**
 * What both driver-side layouts share: per-id bookkeeping (token, offered writable bytes,
 * descriptors taken), indirect table memory, IN_ORDER batch completion, the broken flag, and the
 * guard against memory vanishing under the queue.
 *
 * <p>With VIRTIO_F_IN_ORDER the device may report a batch with one used entry naming its last
 * buffer; the earlier ones count as used completely (2.7.9, 2.8.13), so they come back with their
 * full writable length, one per {@link #pollUsed()}.
 */
abstract class DriverBase extends QueueFault implements DriverQueue {

    /**
     * An indirect table entry is the layout's descriptor, {@code struct virtq_desc} (2.7.5.3) or
     * {@code struct pvirtq_desc} (2.8.7): 16 bytes in both. The spec asks no alignment of a table;
     * the descriptor ring's keeps each entry whole.
     */
    private static final int DESC_SIZE = Math.max(VirtqSplit.VIRTQ_DESC_SIZE, VirtqPacked.PVIRTQ_DESC_SIZE);
    private static final int TABLE_ALIGN = Math.max(Virtq.descAreaAlign(false), Virtq.descAreaAlign(true));

    final DmaPool pool;
    final int size;
    final long features;
    final boolean eventIdx;
    final boolean inOrder;
    final Object[] tokens;
    final long[] writable;
    final int[] descCount;
    /** Indirect tables, {@code indirectMax} descriptors per id; null when not used. */
    final DmaBuffer tables;
    final int indirectMax;
    private int lastLength;

    /**
     * Publish epochs: a buffer staged since the last publish carries the current epoch, and the
     * device may not return it yet (it cannot have seen it).
     */
    private final int[] epochOf;
    private int epoch;
    private boolean staged;

    /** Outstanding ids in the order they were added (IN_ORDER only). */
    private final int[] order;
    private int orderHead;
    private int orderCount;
    /** Buffers of an in-order batch still to hand out, and the reported length of its last one. */
    private int batchLeft;
    private int batchLength;
    private int detachCursor;

    DriverBase(DmaPool pool, int size, long features, int indirectMax, RingErrorCounter errors, boolean validSize) {
        super(errors);
        if (!validSize) {
            throw new IllegalArgumentException("invalid queue size " + size);
        }
        this.pool = pool;
        this.size = size;
        this.features = features;
        this.eventIdx = VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_EVENT_IDX);
        this.inOrder = VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_IN_ORDER);
        this.tokens = new Object[size];
        this.writable = new long[size];
        this.descCount = new int[size];
        this.epochOf = new int[size];
        this.order = inOrder ? new int[size] : null;
        this.indirectMax = indirectMax(size, features, indirectMax);
        this.tables = this.indirectMax > 0 ? pool.allocate(tableBytes(size, this.indirectMax), TABLE_ALIGN) : null;
    }

    /** The indirect table length used: the one asked for if indirect is negotiated and worth it (2+), at most the queue size; else 0. */
    static int indirectMax(int size, long features, int requested) {
        boolean indirect = VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_INDIRECT_DESC);
        return indirect && requested >= 2 ? Math.min(requested, size) : 0;
    }

    /** Bytes of the indirect tables: one of {@code indirectMax} descriptors per id. */
    private static long tableBytes(int size, int indirectMax) {
        return (long) size * indirectMax * DESC_SIZE;
    }

    /** The most pool memory the indirect tables of a queue take (see {@link DriverQueue#poolBytes}). */
    static long tablePoolBytes(int size, long features, int requested) {
        int max = indirectMax(size, features, requested);
        return max > 0 ? DmaPool.worstCase(tableBytes(size, max), TABLE_ALIGN) : 0;
    }

    /** Writes a buffer into the ring without exposing it to the device; false if there is no room. */
    abstract boolean doAdd(BufferChain chain, Object token, boolean indirect);

    /** Exposes every buffer written since the last call with one store; nothing if there are none. */
    abstract void doPublish();

    abstract Object doPoll();

    abstract boolean doEnableCallbacks();

    abstract void doDisableCallbacks();

    abstract boolean doKickPrepare();

    /** Frees the ring descriptors of {@code id}. */
    abstract void release(int id);

    /** Returns the ring to its initial state after every buffer was detached. */
    abstract void resetRing();

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final long features() {
        return features;
    }

    @Override
    public final boolean add(BufferChain chain, Object token) {
        if (!stage(chain, token)) {
            return false;
        }
        // staged means owned by the ring: if publishing finds the memory gone the queue breaks, and
        // the token still comes back once, from detachUnused
        publish();
        return true;
    }

    @Override
    public final void publish() {
        if (broken != null) {
            return;
        }
        try {
            publishStaged();
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            fail(RingError.MEMORY_FAULT);
        }
    }

    @Override
    public final boolean stage(BufferChain chain, Object token) {
        Objects.requireNonNull(token, "token");
        int n = chain.count();
        if (n == 0) {
            throw new IllegalArgumentException("empty chain");
        }
        boolean indirect = n >= 2 && n <= indirectMax;
        if (!indirect && n > size) {
            throw new IllegalArgumentException("chain of " + n + " elements exceeds queue size " + size);
        }
        if (broken != null) {
            return false;
        }
        try {
            return doAdd(chain, token, indirect);
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return fail(RingError.MEMORY_FAULT) != null;
        }
    }

    @Override
    public final Object pollUsed() {
        if (broken != null) {
            return null;
        }
        try {
            return batchLeft > 0 ? nextOfBatch() : doPoll();
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return fail(RingError.MEMORY_FAULT);
        }
    }

    @Override
    public final int lastUsedLength() {
        return lastLength;
    }

    @Override
    public final int drainUsed(UsedConsumer consumer, int max) {
        int n = 0;
        while (n < max) {
            Object token = pollUsed();
            if (token == null) {
                break;
            }
            consumer.used(token, lastLength);
            n++;
        }
        return n;
    }

    @Override
    public final boolean kickPrepare() {
        if (broken != null) {
            return false;
        }
        try {
            publishStaged();
            return doKickPrepare();
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return fail(RingError.MEMORY_FAULT) != null;
        }
    }

    @Override
    public final void disableCallbacks() {
        if (broken == null) {
            try {
                doDisableCallbacks();
            } catch (IllegalStateException | IndexOutOfBoundsException e) {
                fail(RingError.MEMORY_FAULT);
            }
        }
    }

    @Override
    public final boolean enableCallbacks() {
        if (broken != null) {
            return false;
        }
        try {
            return batchLeft > 0 | doEnableCallbacks();
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return fail(RingError.MEMORY_FAULT) != null;
        }
    }

    @Override
    public final Object detachUnused() {
        while (detachCursor < size) {
            int id = detachCursor++;
            Object token = tokens[id];
            if (token != null) {
                tokens[id] = null;
                release(id);
                return token;
            }
        }
        detachCursor = 0;
        orderHead = 0;
        orderCount = 0;
        batchLeft = 0;
        staged = false;
        broken = null;
        resetRing();
        return null;
    }

    /** Exposes the staged buffers; they then belong to an epoch the device may return from. */
    private void publishStaged() {
        if (staged) {
            doPublish();
            staged = false;
            epoch++;
        }
    }

    /** Marks the queue broken (the first reason wins) and counts the reason. Always null. */
    final Object fail(RingError reason) {
        markBroken(reason);
        return null;
    }

    /** Bookkeeping of an added buffer. */
    final void added(int id, Object token, long writableBytes, int descriptors) {
        tokens[id] = token;
        writable[id] = writableBytes;
        descCount[id] = descriptors;
        epochOf[id] = epoch;
        staged = true;
        if (inOrder) {
            order[(orderHead + orderCount++) % size] = id;
        }
    }

    /**
     * Checks a used entry the device wrote.
     *
     * @return null if acceptable, or the reason to refuse it
     */
    final RingError check(int id, int length) {
        if (id < 0 || id >= size || tokens[id] == null || (staged && epochOf[id] == epoch)) {
            // never offered, already back, or staged and so not yet visible to the device
            return RingError.USED_ID_NOT_OUTSTANDING;
        }
        return Integer.toUnsignedLong(length) > writable[id] ? RingError.USED_LEN_TOO_LARGE : null;
    }

    /** Whether {@code id} starts an in-order batch of more than one buffer (it is not the oldest outstanding). */
    final boolean isBatch(int id) {
        return inOrder && order[orderHead] != id;
    }

    /** Number of buffers from the oldest outstanding through {@code id}; {@code id} is outstanding. */
    final int batchSize(int id) {
        int k = 0;
        while (order[(orderHead + k) % size] != id) {
            k++;
        }
        return k + 1;
    }

    /** The id {@code k} places after the oldest outstanding one. */
    final int outstanding(int k) {
        return order[(orderHead + k) % size];
    }

    /** Hands out the first buffer of a batch of {@code count} that ends with a used entry of {@code length}. */
    final Object startBatch(int count, int length) {
        batchLeft = count;
        batchLength = length;
        return nextOfBatch();
    }

    private Object nextOfBatch() {
        int id = order[orderHead];
        int length = --batchLeft == 0 ? batchLength : (int) writable[id];
        return deliver(id, length);
    }

    /** Completes {@code id}: frees its descriptors and returns its token. */
    final Object deliver(int id, int length) {
        Object token = tokens[id];
        tokens[id] = null;
        if (inOrder) {
            orderHead = (orderHead + 1) % size;
            orderCount--;
        }
        release(id);
        lastLength = length;
        return token;
    }

    /** Offset in {@link #tables} of the indirect table of {@code id}. */
    final long tableOffset(int id) {
        return (long) id * indirectMax * DESC_SIZE;
    }

    @Override
    public void close() {
        if (tables != null) {
            pool.free(tables);
        }
    }
}
