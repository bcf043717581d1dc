package virtio.net.api;

/** Service properties every {@link NetDevice} service carries, kept current by its driver. */
public final class NetDeviceConstants {
    private NetDeviceConstants() {}

    /**
     * The interface index (an Integer, at least 1), the kernel's ifindex: given once when the
     * driver registers the NetDevice and never given to another while the driver runs, so a
     * device that goes and comes back gets a new one even if it gets its old name again.
     */
    public static final String NET_IFINDEX = "net.ifindex";
    /** The interface name, {@code eth0}, ... (a String, unique in the framework). */
    public static final String NET_NAME = "net.name";
    /** The MAC address as {@code 52:54:00:12:34:56} (a String). */
    public static final String NET_MAC = "net.mac";
    /** The MTU in bytes (an Integer). */
    public static final String NET_MTU = "net.mtu";
    /** The link state, {@code up} or {@code down} (a String, {@link LinkState#property()}). */
    public static final String NET_LINK = "net.link";
    /** The number of queue pairs in use (an Integer). */
    public static final String NET_QUEUES = "net.queues";
    /** The name of the virtio device underneath, its {@code device.name} on the virtio bus (a String). */
    public static final String NET_VIRTIO_DEVICE = "net.virtio.device";
    /** The driver that produced the NetDevice, e.g. {@code virtio_net} (a String). */
    public static final String NET_DRIVER = "net.driver";
}
