package virtio.net.internal;

import driver.core.BusDriver;
import java.time.Duration;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import virtio.bus.VirtioConstants;
import virtio.bus.VirtioDriver;
import virtio.net.api.NetDevice;
import virtio.spec.VirtioIds;

/**
 * The virtio_net driver service: binds virtio devices of id 1 ({@code (virtio.device.id=1)}) and
 * registers a NetDevice service, from this bundle, for each. Configured under PID
 * {@code virtio.net} (optional).
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"virtio.net.api.NetDevice\"",
        uses = NetDevice.class)
@Component(name = "virtio.net", service = VirtioDriver.class)
@BusDriver(name = VirtioNetDriver.NAME, match = "(" + VirtioConstants.DEVICE_ID + "=" + VirtioIds.VIRTIO_ID_NET + ")")
public final class VirtioNetComponent extends VirtioNetDriver {

    /** Driver tunables; the defaults suit the simulated and most real devices. */
    public @interface Config {
        /** Largest virtqueue size asked for (capped by the device). */
        int queue_size() default 256;

        /** Bytes per RX buffer with VIRTIO_NET_F_MRG_RXBUF. */
        int rx_merge_buffer_size() default 2048;

        /** Most queue pairs used with VIRTIO_NET_F_MQ. */
        int max_queue_pairs() default 8;

        /** Milliseconds a control command waits for the device. */
        long ctrl_timeout_ms() default 2000;

        /** Frames per queue held for poll() when no receive handler is set. */
        int rx_backlog() default 512;
    }

    /** Does no device work: probes come later, from the bus. */
    @Activate
    public VirtioNetComponent(BundleContext context, Config config) {
        super(new Settings(config.queue_size(), config.rx_merge_buffer_size(), config.max_queue_pairs(),
                Duration.ofMillis(config.ctrl_timeout_ms()), config.rx_backlog()), new ServicePublisher(context));
    }

    /** The bus removed every device when this service went away; only the config thread is left. */
    @Deactivate
    void deactivate() {
        close();
    }
}
