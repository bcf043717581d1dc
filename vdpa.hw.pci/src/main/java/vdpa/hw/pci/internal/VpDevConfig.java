package vdpa.hw.pci.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** A persistent {@code vdpa dev add} on a PCI function's management device (factory PID {@code vdpa.hw.pci.dev}). */
@ObjectClassDefinition(name = "vDPA device on a virtio-pci function", description = "Added whenever its management device is there.")
@interface VpDevConfig {

    @AttributeDefinition(description = "The vDPA device's name.")
    String name() default "";

    @AttributeDefinition(description = "The management device: pci/<slot>, e.g. pci/0000:00:04.0.")
    String mgmtdev() default "";

    @AttributeDefinition(description = "The features the device offers, hex; empty: all the function offers.")
    String device__features() default "";
}
