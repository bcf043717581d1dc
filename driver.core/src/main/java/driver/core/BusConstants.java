package driver.core;

/** Service property names and Event Admin topics shared by every bus, its devices and its drivers. */
public final class BusConstants {
    private BusConstants() {}

    /** Device property: the device's name, unique on its bus (the kernel's dev_name). Required. */
    public static final String DEVICE_NAME = "device.name";
    /** Device property set by the bus: the bus the device sits on. */
    public static final String DEVICE_BUS = "device.bus";
    /** Device property set by the bus: the name of the bound driver; absent while unbound. */
    public static final String DEVICE_DRIVER = "device.driver";
    /** Device property set by the bus: the binding state, a {@link BindingState} name. */
    public static final String DEVICE_STATE = "device.state";
    /**
     * Device property: pins the device to the driver of this name only (the kernel's
     * driver_override). Settable at registration or later through {@link Bus#override}.
     */
    public static final String DRIVER_OVERRIDE = "driver_override";

    /** Driver property: the driver's name, unique on its bus. Required. */
    public static final String DRIVER_NAME = "driver.name";
    /** Driver property: an LDAP filter over device properties; the driver's id table. Required. */
    public static final String DRIVER_MATCH = "driver.match";

    /**
     * Driver property, optional: {@code false} makes a driver that binds only when asked (the
     * device's driver_override names it, or {@link Bus#bind}), never on its own, however well it
     * matches; default {@code true}. A bridge that can drive every device but should get none by
     * default (vhost_vdpa beside virtio_vdpa) sets it. A Boolean, or the string {@code false}.
     */
    public static final String DRIVER_AUTOPROBE = "driver.autoprobe";

    /** Bus service property: the bus's name ({@code vdpa}, {@code virtio}). */
    public static final String BUS_NAME = "bus.name";

    /** Event Admin topic prefix; the full topic is this plus a {@link BusEventType} name. */
    public static final String TOPIC_PREFIX = "driver/core/bus/";
    /** Event property: the bus name. */
    public static final String EVENT_BUS = "bus";
    /** Event property: the device name. */
    public static final String EVENT_DEVICE = "device";
    /** Event property: the driver name, when the event concerns one. */
    public static final String EVENT_DRIVER = "driver";
    /** Event property: why, for failures, deferrals and hangs. */
    public static final String EVENT_REASON = "reason";
}
