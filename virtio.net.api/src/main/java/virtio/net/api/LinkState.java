package virtio.net.api;

import java.util.Locale;

/** Whether the link carries frames (virtio-net config {@code status & VIRTIO_NET_S_LINK_UP}). */
public enum LinkState {
    /** The link is up. A device without VIRTIO_NET_F_STATUS is always up (spec 5.1.4.2). */
    UP,
    /** The link is down: the device reports no carrier. */
    DOWN;

    /** The value of the {@value NetDeviceConstants#NET_LINK} service property: {@code up} or {@code down}. */
    public String property() {
        return name().toLowerCase(Locale.ROOT);
    }
}
