package vdpa.sim.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A device configuration (factory PID {@code vdpa.sim.net}). Property names follow the DS
 * mapping: {@code max__vqp} is {@code max_vqp}.
 */
@ObjectClassDefinition(name = "Simulated vDPA net device", description = "One vdpasim_net device on the vDPA bus.")
@interface SimNetConfig {

    @AttributeDefinition(description = "Device name on the vDPA bus; empty: the alias of the .cfg file (vdpa.sim.net-<alias>.cfg).")
    String name() default "";

    @AttributeDefinition(description = "MAC address aa:bb:cc:dd:ee:ff; empty: a locally administered one derived from the name.")
    String mac() default "";

    @AttributeDefinition(description = "MTU, 68..65535.", min = "68", max = "65535")
    int mtu() default 1500;

    @AttributeDefinition(description = "Queue pairs.", min = "1", max = "16")
    int max__vqp() default 1;

    @AttributeDefinition(description = "loopback; cable:<name> to join the other device naming that cable; "
            + "tap:<ifname>[@<netns>] for the host's TAP interface <ifname> (in the ip netns <netns>).")
    String link() default "loopback";

    @AttributeDefinition(description = "Pins the device to the vDPA driver of this name (driver_override), e.g. vhost_vdpa; empty: the best matching driver.")
    String driver__override() default "";
}
