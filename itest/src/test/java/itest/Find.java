package itest;

import driver.core.DeviceInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import virtio.net.api.NetDevice;
import virtio.net.api.NetDeviceConstants;

/** What the integration tests look up: a NetDevice by MAC, a bundle by name, a device on a bus. */
final class Find {
    private Find() {}

    /** The tracked NetDevice with this MAC, or null. */
    static NetDevice net(ServiceTracker<NetDevice, NetDevice> nets, String mac) {
        var refs = nets.getServiceReferences();
        if (refs == null) {
            return null;
        }
        for (var ref : refs) {
            if (mac.equals(ref.getProperty(NetDeviceConstants.NET_MAC))) {
                return nets.getService(ref);
            }
        }
        return null;
    }

    /** Waits (20 s at most) for the NetDevice with this MAC. */
    static NetDevice awaitNet(ServiceTracker<NetDevice, NetDevice> nets, String mac) {
        Await.until("NetDevice with MAC " + mac, () -> Arrays.toString(nets.getServiceReferences()),
                () -> net(nets, mac) != null, Duration.ofSeconds(20));
        return net(nets, mac);
    }

    static Bundle bundle(BundleContext context, String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + bsn));
    }

    static DeviceInfo device(List<DeviceInfo> devices, String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no device " + name + " in " + devices));
    }
}
