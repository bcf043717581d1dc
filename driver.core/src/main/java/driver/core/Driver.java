package driver.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A driver of devices of type {@code D}: the kernel's struct device_driver probe and remove.
 *
 * <p>A driver is published as a service of its bus's driver type with the properties
 * {@value BusConstants#DRIVER_NAME} and {@value BusConstants#DRIVER_MATCH}; {@code service.ranking}
 * orders drivers that match the same device. The bus calls probe and remove one at a time per bus,
 * never on a thread that delivers service events.
 *
 * @param <D> the device type of the bus
 */
@ConsumerType
public interface Driver<D> {

    /**
     * Takes the device. Returning normally binds it to this driver. Throwing
     * {@link ProbeDeferredException} leaves it unbound and asks for a retry when a driver or a
     * service arrives; throwing anything else is a failed probe and the next matching driver is
     * tried. A probe that fails must leave the device as it found it.
     */
    void probe(D device, DeviceContext context) throws Exception;

    /**
     * Lets go of a device this driver bound: quiesce it (stop its queues, reset it) and release
     * everything probe built above it. After this returns the driver must not touch the device.
     */
    void remove(D device, DeviceContext context);
}
