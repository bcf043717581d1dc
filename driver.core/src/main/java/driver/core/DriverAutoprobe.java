package driver.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Whether a driver binds on its own, typed (a Declarative Services component property type, the
 * kernel's drivers_autoprobe for one driver): {@code @DriverAutoprobe(false)} on a driver's DS
 * component makes {@value BusConstants#DRIVER_AUTOPROBE}{@code =false}, and the bus offers the
 * driver a device only through {@link Bus#bind} or a driver_override naming it. Without it a
 * driver binds every device its match rule takes.
 *
 * <pre>
 * &#64;Component(service = VdpaDriver.class)
 * &#64;BusDriver(name = "vhost_vdpa", match = "(vdpa.name=*)")
 * &#64;DriverAutoprobe(false)
 * public final class VhostVdpaDriver implements VdpaDriver { ... }
 * </pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DriverAutoprobe {

    /** {@value BusConstants#DRIVER_AUTOPROBE}: false if the driver binds only when asked. */
    boolean value();
}
