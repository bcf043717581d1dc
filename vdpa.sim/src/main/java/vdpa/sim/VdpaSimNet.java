package vdpa.sim;

/** Names under which the simulated net devices are created and configured. */
public final class VdpaSimNet {
    private VdpaSimNet() {}

    /** The management device's name ({@code vdpa.mgmtdev} of it and of its devices). */
    public static final String MGMTDEV = "vdpasim_net";

    /**
     * Factory PID of device configurations; File Install reads {@code vdpa.sim.net-<alias>.cfg}.
     * Properties: {@value #PROP_NAME} (default: the file's alias), {@value #PROP_MAC},
     * {@value #PROP_MTU}, {@value #PROP_MAX_VQP}, {@value #PROP_LINK}, {@value #PROP_DRIVER_OVERRIDE}.
     */
    public static final String FACTORY_PID = "vdpa.sim.net";

    /** Configuration property: the device name on the vDPA bus. */
    public static final String PROP_NAME = "name";
    /** Configuration property: the MAC address, {@code aa:bb:cc:dd:ee:ff}; default derived from the name. */
    public static final String PROP_MAC = "mac";
    /** Configuration property: the MTU, 68..65535; default {@value #DEFAULT_MTU}. */
    public static final String PROP_MTU = "mtu";
    /** Configuration property: the number of queue pairs; default 1. */
    public static final String PROP_MAX_VQP = "max_vqp";
    /**
     * Configuration property: {@value #LINK_LOOPBACK} (default), {@code cable:<name>},
     * {@code tap:<ifname>[@<netns>]}, {@value #LINK_SINK} or {@code generator:<size>[,count=<n>]}.
     */
    public static final String PROP_LINK = "link";

    /**
     * Configuration property: the vDPA driver the device is pinned to (its {@code driver_override}),
     * e.g. {@code vhost_vdpa} to serve it to a VM; default none (the best matching driver binds).
     */
    public static final String PROP_DRIVER_OVERRIDE = "driver_override";

    /** Link value: frames a device sends come back to it. */
    public static final String LINK_LOOPBACK = "loopback";
    /** Link value prefix: {@code cable:<name>} joins the two devices naming the same cable. */
    public static final String LINK_CABLE_PREFIX = "cable:";
    /**
     * Link value prefix: {@code tap:<ifname>} makes the wire the host's TAP interface
     * {@code <ifname>} (created if missing, deleted with the link unless persistent);
     * {@code tap:<ifname>@<netns>} makes it in the network namespace {@code <netns>} of
     * {@code ip netns}.
     */
    public static final String LINK_TAP_PREFIX = "tap:";
    /** Separates a TAP's interface name from its network namespace: {@code tap:<ifname>@<netns>}. */
    public static final String LINK_TAP_NETNS = "@";
    /** Link value: every frame the device sends is counted and dropped; nothing ever arrives. */
    public static final String LINK_SINK = "sink";
    /**
     * Link value prefix: {@code generator:<size>} sends the device frames of {@code <size>} bytes
     * (Ethernet header included, no FCS; broadcast) as fast as its receive queue takes them, like
     * pktgen; what the device sends is counted and dropped, as by a {@value #LINK_SINK}.
     */
    public static final String LINK_GENERATOR_PREFIX = "generator:";
    /** Follows a generator's size: {@code generator:<size>,count=<n>} stops after {@code n} frames. */
    public static final String LINK_GENERATOR_COUNT = ",count=";

    /** MTU of a device created without one. */
    public static final int DEFAULT_MTU = 1500;
}
