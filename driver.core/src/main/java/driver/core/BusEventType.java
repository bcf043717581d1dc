package driver.core;

/**
 * What a bus reports through Event Admin, under topic {@code driver/core/bus/<NAME>}. The kernel
 * sends the same moments as uevents and bus notifier calls.
 */
public enum BusEventType {
    /** A device entered the bus. */
    DEVICE_ADDED,
    /** A device left the bus, after its driver was removed from it. */
    DEVICE_REMOVED,
    /** A driver's probe succeeded; the device is bound to it. */
    BOUND,
    /** A driver was removed from a device (unbind, driver or device departure). */
    UNBOUND,
    /** A probe threw; the next matching driver is tried. */
    PROBE_FAILED,
    /** A probe asked to be retried later; it is, whenever a driver or a service arrives. */
    PROBE_DEFERRED,
    /** A probe or a remove did not return within the bus's timeout; the bus went on without it. */
    HUNG;

    /** The Event Admin topic of this event type. */
    public String topic() {
        return BusConstants.TOPIC_PREFIX + name();
    }
}
