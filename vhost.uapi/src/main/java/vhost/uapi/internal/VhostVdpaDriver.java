package vhost.uapi.internal;

import driver.core.BusDriver;
import driver.core.DeviceContext;
import driver.core.DriverAutoprobe;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import vdpa.bus.VdpaConstants;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDriver;
import vhost.uapi.VhostUapi;
import vhost.uapi.internal.endpoint.Endpoint;
import vhost.uapi.internal.endpoint.EndpointInfo;
import vhost.uapi.internal.session.DeviceMaps;

/**
 * The {@value VhostUapi#DRIVER_NAME} vDPA driver: probe serves the device on its socket, remove
 * disconnects the front-end (the device is reset, its memory unmapped) and removes the socket.
 * It matches every vDPA device, like the kernel's, with {@code driver.autoprobe=false}: the bus
 * binds a device to it only when asked (driver_override naming it, or {@code bus:bind}), so
 * virtio_vdpa keeps the devices no one asked for.
 */
@Component(service = {VdpaDriver.class, VhostVdpaDriver.class}, configurationPid = VhostUapi.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@BusDriver(name = VhostUapi.DRIVER_NAME, match = "(" + VdpaConstants.NAME + "=*)")
@DriverAutoprobe(false)
public final class VhostVdpaDriver implements VdpaDriver {

    private static final System.Logger LOG = System.getLogger("vhost.uapi");

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private volatile VhostSettings settings;

    @Activate
    public VhostVdpaDriver(BundleContext context, Map<String, Object> properties) {
        configure(context, properties);
    }

    /** For tests: a driver with these settings. */
    VhostVdpaDriver(VhostSettings settings) {
        this.settings = settings;
    }

    @Modified
    void configure(BundleContext context, Map<String, Object> properties) {
        settings = new VhostSettings(Map.copyOf(properties),
                VhostSettings.defaultRuntimeDir(context.getProperty(VhostUapi.RUNTIME_DIR_PROPERTY)));
    }

    @Override
    public void probe(VdpaDevice device, DeviceContext context) throws Exception {
        if (!DeviceMaps.supports(device)) {
            throw new IllegalArgumentException("vhost_vdpa needs a device that translates DMA itself (set_map or dma_map)");
        }
        Endpoint e = Endpoint.start(context.name(), device, settings.forDevice(context.name()));
        endpoints.put(context.name(), e);
        LOG.log(Level.INFO, "vhost {0}: serving on {1}", context.name(), e.config().socket());
    }

    @Override
    public void remove(VdpaDevice device, DeviceContext context) {
        Endpoint e = endpoints.remove(context.name());
        if (e != null) {
            e.close();
        }
        device.reset();
    }

    /** The served devices, by name. */
    List<EndpointInfo> list() {
        return endpoints.values().stream().map(Endpoint::info)
                .sorted(java.util.Comparator.comparing(EndpointInfo::device)).toList();
    }
}
