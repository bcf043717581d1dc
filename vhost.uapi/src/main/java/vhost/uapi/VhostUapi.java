package vhost.uapi;

/** The names under which the vhost_vdpa driver binds devices and is configured. */
public final class VhostUapi {
    private VhostUapi() {}

    /** The driver's name on the vDPA bus: what {@code driver_override} or {@code bus:bind} names. */
    public static final String DRIVER_NAME = "vhost_vdpa";

    /**
     * Configuration Admin PID. Properties: {@value #PROP_SOCKET_DIR}, {@value #PROP_MODE},
     * {@value #PROP_RECONNECT_MAX_MS}, and per device {@code <device>}{@value #SUFFIX_SOCKET} and
     * {@code <device>}{@value #SUFFIX_MODE}. A change applies to devices bound after it.
     */
    public static final String PID = "vhost.uapi";

    /** The folder of the devices' sockets; default {@code <runtime dir>/vhost}. */
    public static final String PROP_SOCKET_DIR = "socket.dir";
    /** {@value #MODE_SERVER} (default: listen, the front-end connects) or {@value #MODE_CLIENT}. */
    public static final String PROP_MODE = "mode";
    /** A client's longest back-off between connection attempts; default 5000. */
    public static final String PROP_RECONNECT_MAX_MS = "reconnect.max.ms";
    /** Per-device socket path: {@code vdpa0.socket=/run/vm1/net0.sock}. */
    public static final String SUFFIX_SOCKET = ".socket";
    /** Per-device mode: {@code vdpa0.mode=client}. */
    public static final String SUFFIX_MODE = ".mode";

    public static final String MODE_SERVER = "server";
    public static final String MODE_CLIENT = "client";

    /**
     * The runtime folder the default socket folder lies in: the framework or system property
     * {@value #RUNTIME_DIR_PROPERTY}, else {@code $XDG_RUNTIME_DIR/busbar}, else
     * {@code <java.io.tmpdir>/busbar-<user>}.
     */
    public static final String RUNTIME_DIR_PROPERTY = "busbar.runtime.dir";
}
