package vdpa.bus;

import driver.core.Bus;
import driver.core.BusException;
import driver.core.DeviceRegistration;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The vDPA bus (the kernel's vdpa_bus), a service with {@code bus.name=vdpa}. Management devices
 * and other parents register {@link VdpaDevice}s here; {@link VdpaDriver} services bind to them.
 *
 * <p>{@link #register} refuses a device whose ops are inconsistent (the checks of the kernel's
 * __vdpa_alloc_device and more, see {@code package-info}) with the reason, and fills in the
 * properties of {@link VdpaConstants} from the device itself: {@code vdpa.name} (the device name),
 * {@code virtio.device.id}, {@code virtio.vendor.id}, {@code vdpa.max_vqs}, {@code vdpa.max_vq_size}.
 * A registrant that passes a contradicting value is refused.
 */
@ProviderType
public interface VdpaBus extends Bus<VdpaDevice> {

    /** {@inheritDoc} */
    @Override
    DeviceRegistration register(VdpaDevice device, Map<String, ?> properties) throws BusException;

}
