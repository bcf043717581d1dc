package pci.emul.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A function configuration (factory PID {@code pci.emul.net}). Property names follow the DS
 * mapping: {@code max__vqp} is {@code max_vqp}.
 */
@ObjectClassDefinition(name = "Emulated virtio-pci net function", description = "One emulated PCI function on the PCI bus.")
@interface EmulNetConfig {

    @AttributeDefinition(description = "The function's address, 0000:00:04.0.")
    String slot() default "";

    @AttributeDefinition(description = "MAC address aa:bb:cc:dd:ee:ff; empty: a locally administered one derived from the slot.")
    String mac() default "";

    @AttributeDefinition(description = "MTU, 68..65535.", min = "68", max = "65535")
    int mtu() default 1500;

    @AttributeDefinition(description = "Queue pairs.", min = "1", max = "16")
    int max__vqp() default 1;

    @AttributeDefinition(description = "loopback, or cable:<name> to join the simulated device naming that cable.")
    String link() default "loopback";
}
