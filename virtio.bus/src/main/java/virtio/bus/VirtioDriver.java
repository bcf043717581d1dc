package virtio.bus;

import driver.core.Driver;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A virtio class driver (the kernel's struct virtio_driver), published as a service of this type
 * with {@code driver.name} and {@code driver.match} (a DS component declares them with
 * {@link driver.core.BusDriver}), e.g. {@code (virtio.device.id=1)}.
 *
 * <p>Sealed: the only implementation is {@link AbstractVirtioDriver}, whose final {@code probe} and
 * {@code remove} run the bus's initialization and teardown sequence around the driver's code. That
 * keeps feature negotiation and the status state machine in the bus, for every driver.
 */
@ConsumerType
public sealed interface VirtioDriver extends Driver<VirtioDevice> permits AbstractVirtioDriver {

    /**
     * The driver's feature table (the kernel's feature_table as a mask): every device-type feature
     * bit it understands, and the transport bits that shape its own virtqueues that it can use
     * ({@link VirtioNegotiation#QUEUE_FEATURES}: indirect descriptors, event indices, packed rings,
     * in-order use, per-queue reset); a bit left out is refused. The other transport bits need not
     * be listed: the bus keeps those the device offers (VIRTIO_F_VERSION_1 among them).
     */
    long features();
}
