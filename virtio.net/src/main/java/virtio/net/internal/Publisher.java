package virtio.net.internal;

import java.util.Map;
import virtio.net.api.NetDevice;

/**
 * Where the driver publishes its NetDevices: the OSGi service registry in the bundle, a recorder in
 * tests. Kept as a seam so the driver's probe and remove run without a framework.
 */
interface Publisher {

    /** A published NetDevice. */
    interface Publication {
        /** Replaces the service properties. */
        void update(Map<String, Object> properties);

        /** Withdraws the service; returns when it is gone. */
        void unregister();
    }

    Publication publish(NetDevice device, Map<String, Object> properties);
}
