package virtio.bus;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;
import virtio.spec.DeviceStatus;

/**
 * A virtio device as the virtio bus sees it: the transport's side of the kernel's
 * {@code struct virtio_config_ops} plus the device's ids. Transports (the {@code virtio.vdpa}
 * bridge, later a virtio-pci driver) implement it and register it on the {@link VirtioBus}.
 *
 * <p>The bus drives the initialization sequence through this interface (see
 * {@link AbstractVirtioDriver}); a class driver then reads config space and sets up its queues. All
 * values cross as the spec's raw values: the status byte, 64-bit feature words, little-endian
 * config fields.
 *
 * <p>Thread safety: the bus and the bound driver call it from their own threads; an implementation
 * serializes status, feature and queue changes itself.
 */
@ProviderType
public interface VirtioDevice {

    // ---------------------------------------------------------------- identity

    /** The virtio device id (spec 5; the kernel's virtio_device_id.device): 1 network, 2 block, ... Never 0. */
    int deviceId();

    /** The vendor id (the kernel's virtio_device_id.vendor). */
    int vendorId();

    // ---------------------------------------------------------------- status (get_status, set_status, reset)

    /** The device status byte (get_status). See {@link DeviceStatus}. */
    int getStatus();

    /**
     * Writes the device status byte (set_status). Must not be 0: use {@link #reset()}. The device
     * decides what sticks: it leaves FEATURES_OK clear if it refuses the features written.
     */
    void setStatus(int status);

    /**
     * Resets the device (reset) and returns only when the reset is complete: status reads 0, driver
     * features are cleared, queues are stopped and no callback runs any more. A transport may drop
     * the config-change handler here too: the bus installs its handler after the reset that starts
     * a probe ({@link VirtioNegotiation#reset}).
     */
    void reset();

    // ---------------------------------------------------------------- features (get_features, finalize_features)

    /** The features the device offers (get_features). */
    long deviceFeatures();

    /**
     * Writes the driver's features to the device (finalize_features). Only legal after DRIVER and
     * before FEATURES_OK. The transport may drop transport bits its ring cannot support (the
     * kernel's vring_transport_features) and returns what it wrote, a subset of {@code features}.
     *
     * @throws IllegalStateException if the device is not in a state to take features
     */
    long finalizeFeatures(long features);

    /** The features in effect: what was last written by {@link #finalizeFeatures}, 0 after reset. */
    long driverFeatures();

    // ---------------------------------------------------------------- config space (get, set, generation)

    /** The size of the device-specific configuration space, in bytes. */
    int configSize();

    /**
     * The configuration generation (generation): changes whenever the device changes config space,
     * so a reader of several fields can tell a torn read. Use {@link ConfigSpace} for stable reads.
     */
    int configGeneration();

    /**
     * Reads {@code dst.byteSize()} bytes of config space from {@code offset} (get).
     *
     * @throws IndexOutOfBoundsException if the range is outside {@link #configSize()}; nothing is read
     */
    void readConfig(int offset, MemorySegment dst);

    /**
     * Writes {@code src.byteSize()} bytes of config space at {@code offset} (set). Most fields are
     * read-only to the driver; a device ignores writes to them.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@link #configSize()}; nothing is written
     */
    void writeConfig(int offset, MemorySegment src);

    /**
     * Sets who is told when the device changes config space or raises DEVICE_NEEDS_RESET (the
     * config interrupt, virtio_config_changed); {@code null} clears it. The bus owns this handler
     * while a driver is bound: drivers override {@link AbstractVirtioDriver#configChanged} instead.
     */
    void setConfigChangeHandler(Runnable handler);

    // ---------------------------------------------------------------- virtqueues (find_vqs, del_vqs)

    /** How many virtqueues the device has (the largest usable index plus one). */
    int queueCount();

    /** The largest size queue {@code index} may have, or 0 if the queue is not available. */
    int queueMaxSize(int index);

    /**
     * The DMA memory this device can reach (the kernel's vring_create_virtqueue allocating through
     * the transport's DMA device): drivers carve their rings and buffers from it and hand the
     * device its bus addresses. The pool lives as long as the device; drivers return what they
     * carved when they are removed.
     */
    virtio.ring.DmaPool dmaPool();

    /**
     * Sets up and enables these queues (find_vqs): size, area addresses, callback. Legal after
     * FEATURES_OK and before DRIVER_OK. Either all queues are set up or none is.
     *
     * @throws IllegalArgumentException an index out of range or repeated, or a size above the
     *     queue's maximum; nothing was set up
     * @throws IllegalStateException wrong device status
     */
    void setupQueues(List<VirtqueueConfig> queues);

    /** Notifies the device that queue {@code index} has new available buffers (the ring's notify, a kick). */
    void notifyQueue(int index);

    /**
     * Tears down every queue set up by {@link #setupQueues} (del_vqs). Call after {@link #reset()},
     * so the device no longer touches the rings. Idempotent.
     */
    void deleteQueues();
}
