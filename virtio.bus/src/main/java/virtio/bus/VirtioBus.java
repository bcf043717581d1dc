package virtio.bus;

import driver.core.Bus;
import driver.core.BusException;
import driver.core.DeviceRegistration;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The virtio bus (the kernel's virtio_bus), a service with {@code bus.name=virtio}. Transports
 * register their {@link VirtioDevice}s here; {@link VirtioDriver} services bind to them.
 *
 * <p>{@link #register} fills in {@value VirtioConstants#DEVICE_ID} and
 * {@value VirtioConstants#VENDOR_ID} from the device itself, so drivers match on what the device
 * says; a registrant that passes a different value is refused. A device the bus finds inconsistent
 * (device id 0, negative sizes) is refused with the reason.
 */
@ProviderType
public interface VirtioBus extends Bus<VirtioDevice> {

    /**
     * {@inheritDoc}
     *
     * <p>The device's status is expected to be 0 (reset); the bus sets ACKNOWLEDGE when a driver
     * probes it, as the kernel does on register_virtio_device.
     */
    @Override
    DeviceRegistration register(VirtioDevice device, Map<String, ?> properties) throws BusException;

}
