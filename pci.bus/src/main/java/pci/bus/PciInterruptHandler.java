package pci.bus;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a driver runs when one of its MSI-X vectors fires (the kernel's irq handler passed to
 * request_irq). Called on a thread of the provider's (an emulated function's datapath worker, a
 * VFIO eventfd poller); it must be short and must not block.
 */
@ConsumerType
@FunctionalInterface
public interface PciInterruptHandler {

    /** The function sent the message of {@code vector}. */
    void interrupt(int vector);
}
