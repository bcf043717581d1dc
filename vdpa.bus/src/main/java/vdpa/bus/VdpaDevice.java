package vdpa.bus;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A vDPA device: a device whose datapath speaks virtio rings while its control path is its own,
 * seen through the configuration operations of the kernel's {@code struct vdpa_config_ops}.
 *
 * <p>Every method here is required unless its javadoc says "optional"; optional operations with
 * a natural default are default methods (the default is what the kernel does when the op is
 * absent), optional groups without one are the capability interfaces listed in
 * {@link VdpaCapability}, which a device implements in addition to this one.
 *
 * <p>Values cross as the virtio spec's raw values: the status byte, 64-bit feature words, config
 * space bytes in the device's layout. Errors are unchecked: {@link IllegalArgumentException} for
 * an argument the device cannot take (a queue index at or above {@link #vqCount()}, an
 * out-of-range config access also as {@link IndexOutOfBoundsException}), {@link IllegalStateException}
 * for a call in the wrong state. A device serializes its own state; the bus calls it from its own
 * threads and a bound driver from the driver's.
 */
@ProviderType
public interface VdpaDevice {

    /** {@link #compatReset} flag: also drop the device's DMA mappings (VDPA_RESET_F_CLEAN_MAP). */
    int RESET_F_CLEAN_MAP = 1;

    // ================================================================ virtqueue ops

    /**
     * Sets the bus addresses of a virtqueue's three areas (set_vq_address): descriptor area,
     * driver area (split: available ring), device area (split: used ring). Addresses are IOVAs in
     * the address space of the queue's group.
     *
     * @throws IllegalArgumentException bad index, or an address the device cannot use
     */
    void setVqAddress(int idx, long descArea, long driverArea, long deviceArea);

    /** Sets the size of a virtqueue (set_vq_num), between {@link #getVqNumMin()} and {@link #getVqSize(int)}. */
    void setVqNum(int idx, int num);

    /** Tells the device the driver made buffers available on a virtqueue (kick_vq). */
    void kickVq(int idx);

    /** Sets or, with {@code null}, clears the interrupt callback of a virtqueue (set_vq_cb). */
    void setVqCb(int idx, VdpaCallback cb);

    /** Makes a virtqueue ready or stops it (set_vq_ready). A ready queue is processed after DRIVER_OK. */
    void setVqReady(int idx, boolean ready);

    /** Whether a virtqueue is ready (get_vq_ready). */
    boolean getVqReady(int idx);

    /**
     * Restores where a virtqueue's device side stands (set_vq_state): the split or packed state
     * matching the negotiated ring layout. Only while the queue is not ready or the device is
     * suspended.
     *
     * @throws UnsupportedOperationException a state other than {@link VqState#initial} on a device
     *     whose {@link #vqStateSupport()} is {@link VqStateSupport#INITIAL_ONLY}
     */
    void setVqState(int idx, VqState state);

    /**
     * Reads where a virtqueue's device side stands (get_vq_state), as set or as processed since.
     *
     * @throws UnsupportedOperationException on a device whose {@link #vqStateSupport()} is
     *     {@link VqStateSupport#INITIAL_ONLY}: it cannot tell
     */
    VqState getVqState(int idx);

    /**
     * Optional: what {@link #setVqState} and {@link #getVqState} can do; default
     * {@link VqStateSupport#SAVE_RESTORE}. A device with only the virtio transport's registers
     * (a virtio-pci function, as the kernel's vp_vdpa drives it) answers
     * {@link VqStateSupport#INITIAL_ONLY}.
     */
    default VqStateSupport vqStateSupport() {
        return VqStateSupport.SAVE_RESTORE;
    }

    /** Optional (get_vq_notification): the queue's doorbell as a mappable area; empty if it has none. */
    default Optional<NotificationArea> getVqNotification(int idx) {
        return Optional.empty();
    }

    /**
     * Optional (get_vq_irq): the interrupt number of a virtqueue, for interrupt offloading; empty if
     * none is assigned. Not expected to change once DRIVER_OK is set.
     */
    default OptionalInt getVqIrq(int idx) {
        return OptionalInt.empty();
    }

    /** Optional (get_vq_size): the largest size of this virtqueue; defaults to {@link #getVqNumMax()}. */
    default int getVqSize(int idx) {
        return getVqNumMax();
    }

    /** Optional (get_vq_group): the group of a virtqueue, below {@link #groupCount()}; default 0. */
    default int getVqGroup(int idx) {
        return 0;
    }

    /**
     * Optional (get_vq_desc_group): the group of a virtqueue's descriptor table, which may differ
     * from its {@link #getVqGroup} so descriptors can live in another address space than buffers.
     * Defaults to the queue's group.
     */
    default int getVqDescGroup(int idx) {
        return getVqGroup(idx);
    }

    // ================================================================ device ops

    /** The virtio device id (get_device_id): 1 network, 2 block, ... Never 0. */
    int getDeviceId();

    /** The vendor id (get_vendor_id). */
    int getVendorId();

    /** How many virtqueues the device has (the nvqs given to vdpa_register_device). At least 1. */
    int vqCount();

    /** The alignment the device needs for virtqueue areas, a power of two (get_vq_align). */
    int getVqAlign();

    /** Optional (vdpa_device.ngroups): how many virtqueue groups the device has; default 1. */
    default int groupCount() {
        return 1;
    }

    /** Optional (vdpa_device.nas): how many address spaces the device has; default 1. */
    default int addressSpaceCount() {
        return 1;
    }

    /**
     * Optional (vdpa_device.use_va): whether IOTLB translations yield process virtual addresses
     * rather than physical ones. Needs {@link VdpaSetMapOps} or {@link VdpaDmaMapOps}. Default false.
     */
    default boolean usesVa() {
        return false;
    }

    /** The features the device offers (get_device_features). */
    long getDeviceFeatures();

    /** Optional (get_backend_features): vDPA backend features of the parent (e.g. vhost's); default 0. */
    default long getBackendFeatures() {
        return 0;
    }

    /**
     * Writes the features the driver accepted (set_driver_features). Legal between DRIVER and
     * FEATURES_OK; the device checks them when FEATURES_OK is set.
     */
    void setDriverFeatures(long features);

    /** The features in effect (get_driver_features): as last set, 0 after reset. */
    long getDriverFeatures();

    /** Sets or, with {@code null}, clears the config-change callback (set_config_cb). */
    void setConfigCb(VdpaCallback cb);

    /** The largest virtqueue size the device supports (get_vq_num_max). Positive. */
    int getVqNumMax();

    /** Optional (get_vq_num_min): the smallest virtqueue size; default 1. */
    default int getVqNumMin() {
        return 1;
    }

    /** The device status byte (get_status). */
    int getStatus();

    /**
     * Writes the device status byte (set_status). Never 0: use {@link #reset()}. The device leaves
     * FEATURES_OK clear if it refuses the driver features; on DRIVER_OK it starts its queues.
     */
    void setStatus(int status);

    /**
     * Resets the device (reset) and returns when done: status 0, driver features 0, queues not
     * ready with state and callbacks cleared. Whether DMA mappings survive is the device's choice
     * (see {@link VdpaResetMapOps}).
     */
    void reset();

    /**
     * Optional (compat_reset): a reset with compatibility quirks for older userspace, e.g.
     * {@link #RESET_F_CLEAN_MAP}. Defaults to {@link #reset()} for devices whose reset was always right.
     */
    default void compatReset(int flags) {
        reset();
    }

    /** The size of the device-specific config space in bytes, including feature-dependent fields (get_config_size). */
    int getConfigSize();

    /**
     * Reads {@code dst.byteSize()} bytes of config space at {@code offset} (get_config).
     *
     * @throws IndexOutOfBoundsException if the range leaves config space; nothing is read
     */
    void getConfig(int offset, MemorySegment dst);

    /**
     * Writes {@code src.byteSize()} bytes of config space at {@code offset} (set_config); the
     * device ignores writes to read-only fields.
     *
     * @throws IndexOutOfBoundsException if the range leaves config space; nothing is written
     */
    void setConfig(int offset, MemorySegment src);

    /** {@link #getConfig(int, MemorySegment)} into a new array. */
    default byte[] getConfig(int offset, int length) {
        byte[] b = new byte[length];
        getConfig(offset, MemorySegment.ofArray(b));
        return b;
    }

    /** {@link #setConfig(int, MemorySegment)} from an array. */
    default void setConfig(int offset, byte[] bytes) {
        setConfig(offset, MemorySegment.ofArray(bytes));
    }

    /** Optional (get_generation): the config generation, changed on every device-side config change; default 0. */
    default int getGeneration() {
        return 0;
    }

    /** Optional (get_iova_range): the IOVA range the device translates; default {@link IovaRange#FULL}. */
    default IovaRange getIovaRange() {
        return IovaRange.FULL;
    }

    /** The optional groups this device implements (by {@code instanceof}). */
    default Set<VdpaCapability> capabilities() {
        return VdpaCapability.of(this);
    }
}
