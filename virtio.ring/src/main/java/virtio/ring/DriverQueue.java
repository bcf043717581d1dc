package virtio.ring;

import org.osgi.annotation.versioning.ProviderType;
import virtio.ring.internal.PackedDriver;
import virtio.ring.internal.SplitDriver;
import virtio.spec.NotificationData;
import virtio.spec.VirtioFeatures;

/**
 * The driver side of one virtqueue (the kernel's {@code struct virtqueue} operations): offers
 * buffers, decides whether to notify the device, and takes used buffers back with their tokens.
 *
 * <p>Single-threaded: call it from one thread at a time (the device side runs elsewhere). Nothing
 * the device writes can make it throw; a device fault marks it broken with a {@link RingError}, after
 * which {@link #add} and {@link #pollUsed} do nothing until the queue is recreated.
 */
@ProviderType
public interface DriverQueue extends AutoCloseable {

    /** Elements of an indirect table unless the driver asks for another number. */
    int DEFAULT_INDIRECT_MAX = 16;

    /**
     * A queue of {@code size} in memory from {@code pool}, laid out as {@code features} select
     * (packed if VIRTIO_F_RING_PACKED), with indirect tables of up to
     * {@value #DEFAULT_INDIRECT_MAX} elements if VIRTIO_F_RING_INDIRECT_DESC is set.
     */
    static DriverQueue create(DmaPool pool, int size, long features) {
        return create(pool, size, features, DEFAULT_INDIRECT_MAX, new RingErrorCounter("driver"));
    }

    /**
     * As {@link #create(DmaPool, int, long)}, with indirect tables of up to {@code indirectMax}
     * elements (0: never indirect) and errors counted in {@code errors}.
     *
     * @throws IllegalArgumentException if the size is invalid for the layout
     * @throws IllegalStateException if the pool has no room
     */
    static DriverQueue create(DmaPool pool, int size, long features, int indirectMax, RingErrorCounter errors) {
        return VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_RING_PACKED)
                ? new PackedDriver(pool, size, features, indirectMax, errors)
                : new SplitDriver(pool, size, features, indirectMax, errors);
    }

    /**
     * The most memory {@link #create(DmaPool, int, long, int, RingErrorCounter)} takes from a pool
     * for these arguments: the layout's areas ({@link virtio.spec.VirtqSplit} or {@link virtio.spec.VirtqPacked}), each
     * with the gap its alignment may leave ({@link DmaPool#worstCase}), and the indirect tables.
     * Whoever sizes a pool for queues and their buffers adds these up.
     */
    static long poolBytes(int size, long features, int indirectMax) {
        return VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_RING_PACKED)
                ? PackedDriver.poolBytes(size, features, indirectMax)
                : SplitDriver.poolBytes(size, features, indirectMax);
    }

    // --- setup: what the transport tells the device ---

    /** Queue size. */
    int size();

    /** The negotiated features this queue honours. */
    long features();

    /** Bus address of the descriptor area (split: table; packed: ring). */
    long descAddress();

    /** Bus address of the driver area (split: available ring; packed: driver event suppression). */
    long driverAddress();

    /** Bus address of the device area (split: used ring; packed: device event suppression). */
    long deviceAddress();

    // --- supplying buffers ---

    /** Descriptors still free (a chain takes one if it goes indirect, else one per element). */
    int freeDescriptors();

    /**
     * Makes a buffer available to the device at once ({@link #stage} and {@link #publish}). Goes
     * indirect when negotiated and the chain has 2 to {@code indirectMax} elements.
     *
     * @param token returned with the buffer when used; not null
     * @return false if there is no room (or the queue is broken)
     * @throws IllegalArgumentException if the chain is empty or can never fit
     */
    boolean add(BufferChain chain, Object token);

    /**
     * Writes a buffer into the ring as {@link #add} does, but leaves it invisible to the device
     * until the next {@link #publish}, {@link #add} or {@link #kickPrepare}. A batch of staged
     * buffers is then exposed with one store (split: the avail idx; packed: the first head's
     * flags), so a device polling the ring on another core sees the shared line change once per
     * batch instead of once per buffer (2.7.13, 2.8.21).
     *
     * @return false if there is no room (or the queue is broken)
     * @throws IllegalArgumentException as {@link #add}
     */
    boolean stage(BufferChain chain, Object token);

    /** Makes every {@link #stage staged} buffer available to the device; nothing if none are. */
    void publish();

    /**
     * Publishes any {@link #stage staged} buffers, then says whether the device wants a
     * notification for the buffers added since the last call (EVENT_IDX or the device's flags).
     * Call after a batch of {@link #add}s or {@link #stage}s; then notify.
     */
    boolean kickPrepare();

    /** The VIRTIO_F_NOTIFICATION_DATA value for a notification now; see {@link NotificationData}. */
    int notificationData(int vqn);

    // --- taking used buffers ---

    /** The next used buffer's token, or null if none (or broken). Its length: {@link #lastUsedLength()}. */
    Object pollUsed();

    /** Bytes written into the buffer {@link #pollUsed()} returned last. */
    int lastUsedLength();

    /** Hands up to {@code max} used buffers to {@code consumer}; returns how many. */
    int drainUsed(UsedConsumer consumer, int max);

    /** Asks the device not to send used buffer notifications (a hint; the device may still). */
    void disableCallbacks();

    /**
     * Asks for used buffer notifications again.
     *
     * @return true if used buffers are already pending: poll again rather than wait
     */
    boolean enableCallbacks();

    /**
     * After a device reset: one buffer not yet used, its token. When none are left it returns null
     * and the queue is back in its initial state (ring zeroed, indices at zero, no longer broken),
     * ready for the re-initialised device.
     */
    Object detachUnused();

    // --- faults ---

    /** Whether the device wrote something refused. */
    boolean isBroken();

    /** Why the queue broke, or null. */
    RingError brokenReason();

    /** This queue's refusal counts. */
    RingErrorCounter errors();

    /** Returns the ring memory to the pool. The queue must not be used afterwards. */
    @Override
    void close();
}
