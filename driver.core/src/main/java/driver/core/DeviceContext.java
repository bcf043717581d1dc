package driver.core;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** What the bus tells a driver about the device it probes or removes. */
@ProviderType
public interface DeviceContext {

    /** The bus's name. */
    String bus();

    /** The device's name on its bus. */
    String name();

    /** The device's service properties at the time of the call (an unmodifiable copy). */
    Map<String, Object> properties();
}
