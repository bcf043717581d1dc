package driver.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A bus: binds devices of type {@code D} to drivers of its driver type, one driver per device.
 *
 * <p>Every method is safe to call from any thread. The steering operations ({@link #bind},
 * {@link #unbind}, {@link #override}) run on the bus's thread and return when done; they refuse
 * with a {@link BusException} that names what was wrong, and change nothing when they refuse.
 *
 * @param <D> the device type
 */
@ProviderType
public interface Bus<D> {

    /** The bus's name, e.g. {@code vdpa}. */
    String name();

    /**
     * Puts a device on the bus and publishes it as a service of the bus's device type with these
     * properties (plus {@value BusConstants#DEVICE_BUS} and, once bound,
     * {@value BusConstants#DEVICE_DRIVER}). Matching drivers are offered the device at once.
     *
     * @param properties must hold a unique {@value BusConstants#DEVICE_NAME}
     * @throws BusException if the name is missing or taken, or the bus refuses the device
     */
    DeviceRegistration register(D device, Map<String, ?> properties) throws BusException;

    /** The device object registered under this name, if it is on the bus. */
    Optional<D> device(String name);

    /** The devices on the bus, in registration order. */
    List<DeviceInfo> devices();

    /** The drivers on the bus, best ranked first. */
    List<DriverInfo> drivers();

    /**
     * Binds an unbound device to the named driver (sysfs bind). The driver must match the device,
     * or be the device's override. Clears a manual unbind.
     *
     * @throws BusException no such device or driver, the device is bound, the driver does not
     *     match, or its probe failed (the message carries the probe's reason)
     */
    void bind(String device, String driver) throws BusException;

    /**
     * Removes a device's driver (sysfs unbind). The device stays unbound, whatever arrives, until
     * {@link #bind} or a new override.
     *
     * @throws BusException no such device, or it is not bound
     */
    void unbind(String device) throws BusException;

    /**
     * Sets or clears the device's driver_override. A bound device whose driver is not the override
     * is unbound; then the device is matched again.
     *
     * @param driver the name of the only driver the device may bind to, or {@code null} to clear
     *     the pin; every other string is a driver name (a shell's word for "clear" is the shell's)
     * @throws BusException no such device, the device is busy probing or removing, or the name is blank
     */
    void override(String device, String driver) throws BusException;
}
