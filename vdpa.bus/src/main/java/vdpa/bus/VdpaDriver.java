package vdpa.bus;

import driver.core.Driver;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A vDPA bus driver (the kernel's struct vdpa_driver): virtio_vdpa, vhost_vdpa. Published as a
 * service of this type with {@code driver.name} and {@code driver.match} (a DS component declares
 * them with {@link driver.core.BusDriver}), e.g. {@code (virtio.device.id=1)} or
 * {@code (vdpa.name=*)}; the vDPA bus tracks services of this type.
 *
 * <p>Probe receives a device at status 0 and owns it until remove, which must leave it reset.
 */
@ConsumerType
public interface VdpaDriver extends Driver<VdpaDevice> {}
