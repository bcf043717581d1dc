package vdpa.hw.pci.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import pci.bus.PciInterruptHandler;
import pci.bus.PciMsix;
import vdpa.bus.VdpaCallback;

/**
 * The MSI-X vectors of one vDPA device over a function, as vp_vdpa's request_irq and free_irq
 * set them up: at DRIVER_OK one vector per queue that has a callback and one for config changes if
 * there is a config callback, each mapped in the common configuration and read back (a function
 * that cannot map one reads VIRTIO_MSI_NO_VECTOR, 4.1.5.1.2); freed at reset. A vector's handler
 * reads the current callback, so callbacks may change while it is allocated. Guarded by the device.
 */
final class VpVectors {

    private final String name;
    private final VpModern hw;
    private final PciMsix msix;
    private boolean allocated;

    VpVectors(String name, VpModern hw, PciMsix msix) {
        this.name = name;
        this.hw = hw;
        this.msix = msix;
    }

    /**
     * Allocates and maps the vectors; on refusal none stays allocated.
     *
     * @throws IllegalStateException more vectors than the table holds, or a mapping the function refused
     */
    void allocate(AtomicReferenceArray<VdpaCallback> queues, Supplier<VdpaCallback> config) {
        List<PciInterruptHandler> handlers = new ArrayList<>();
        int[] vector = new int[queues.length()];
        Arrays.fill(vector, -1);
        for (int q = 0; q < vector.length; q++) {
            if (queues.get(q) != null) {
                vector[q] = handlers.size();
                int queue = q;
                // made once here: an interrupt allocates nothing
                handlers.add(v -> {
                    VdpaCallback cb = queues.get(queue);
                    if (cb != null) {
                        cb.interrupt();
                    }
                });
            }
        }
        int configVector = -1;
        if (config.get() != null) {
            configVector = handlers.size();
            handlers.add(v -> {
                VdpaCallback cb = config.get();
                if (cb != null) {
                    cb.interrupt();
                }
            });
        }
        if (handlers.isEmpty()) {
            return;
        }
        if (handlers.size() > msix.tableSize()) {
            throw new IllegalStateException(name + " needs " + handlers.size() + " MSI-X vectors; the function has " + msix.tableSize());
        }
        msix.enable(handlers);
        allocated = true;
        try {
            for (int q = 0; q < vector.length; q++) {
                if (vector[q] >= 0 && !VpModern.mapped(hw.queueVector(q, vector[q]), vector[q])) {
                    throw new IllegalStateException(hw.function().address() + " refused MSI-X vector " + vector[q] + " for queue " + q);
                }
            }
            if (configVector >= 0 && !VpModern.mapped(hw.configVector(configVector), configVector)) {
                throw new IllegalStateException(hw.function().address() + " refused MSI-X vector " + configVector + " for config changes");
            }
        } catch (RuntimeException e) {
            free();
            throw e;
        }
    }

    /** Disables MSI-X if this set it up; after it returns no handler runs. */
    void free() {
        if (allocated) {
            msix.disable();
            allocated = false;
        }
    }
}
