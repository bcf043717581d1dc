package driver.core;

import org.osgi.annotation.versioning.ProviderType;

/** A device's place on a bus, held by whoever registered it (the kernel's device_add/device_del). */
@ProviderType
public interface DeviceRegistration extends AutoCloseable {

    /** The device's name on its bus. */
    String name();

    /**
     * Takes the device off its bus: its driver's remove runs first, then the device service goes.
     * Returns when both are done (or the remove was reported hung). Idempotent.
     */
    void unregister();

    /** Same as {@link #unregister()}. */
    @Override
    default void close() {
        unregister();
    }
}
