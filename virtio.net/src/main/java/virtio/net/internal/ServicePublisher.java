package virtio.net.internal;

import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import virtio.net.api.NetDevice;

/** Publishes NetDevices as services of the driver bundle. */
final class ServicePublisher implements Publisher {

    private final BundleContext context;

    ServicePublisher(BundleContext context) {
        this.context = context;
    }

    @Override
    public Publication publish(NetDevice device, Map<String, Object> properties) {
        ServiceRegistration<NetDevice> reg = context.registerService(NetDevice.class, device, new Hashtable<>(properties));
        return new Publication() {
            @Override
            public void update(Map<String, Object> p) {
                try {
                    reg.setProperties(new Hashtable<>(p));
                } catch (IllegalStateException gone) {
                    // unregistered meanwhile (the bundle is stopping): nothing left to update
                }
            }

            @Override
            public void unregister() {
                try {
                    reg.unregister();
                } catch (IllegalStateException gone) {
                    // the framework already withdrew it with the bundle
                }
            }
        };
    }
}
