package driver.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties every bus reads off a driver, typed (a Declarative Services component
 * property type): put it on a driver's DS component and the generated descriptor carries
 * {@value BusConstants#DRIVER_NAME} and {@value BusConstants#DRIVER_MATCH}.
 *
 * <pre>
 * &#64;Component(service = VirtioDriver.class)
 * &#64;BusDriver(name = "virtio_net", match = "(virtio.device.id=1)")
 * public final class VirtioNetComponent extends VirtioNetDriver { ... }
 * </pre>
 *
 * Both elements are required, so a driver component without a name or a match rule does not
 * compile (the bus would ignore it). Ranking is the service's own ({@code @ServiceRanking}).
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BusDriver {

    /** Makes the elements {@code driver.name} and {@code driver.match}. */
    String PREFIX_ = "driver.";

    /** {@value BusConstants#DRIVER_NAME}: the driver's name, unique on its bus (the kernel's driver name). */
    String name();

    /**
     * {@value BusConstants#DRIVER_MATCH}: an LDAP filter over the properties of the bus's devices,
     * the driver's id table; e.g. {@code (virtio.device.id=1)}.
     */
    String match();
}
