package vdpa.sim.model;

import org.osgi.annotation.versioning.ProviderType;
import vdpa.bus.VdpaDmaMapOps;
import vdpa.bus.VdpaResetMapOps;
import vdpa.bus.VdpaVendorStatsOps;

/**
 * A simulated virtio-net device that is not on the vDPA bus: the same device as a
 * {@code vdpasim_net} vDPA device (config space, feature rules, queues, datapath worker, control
 * queue, link, per-queue counters), handed to another transport to drive. The transport (an
 * emulated virtio-pci function's register file) turns what its driver writes into these config
 * ops, exactly as the kernel's vp_vdpa turns vDPA config ops into virtio-pci register writes the
 * other way round: status, features, queue size, addresses and ready, kicks, callbacks (which it
 * turns into interrupts), config space and generation, and DMA mappings into the device's one
 * address space. The datapath exists once, here.
 *
 * <p>The ops keep {@link vdpa.bus.VdpaDevice}'s contract, refusals included (an
 * {@link IllegalArgumentException} or {@link IllegalStateException} for a value the device cannot
 * take): a transport facing a hostile driver catches and counts them.
 */
@ProviderType
public interface NetModel extends VdpaDmaMapOps, VdpaResetMapOps, VdpaVendorStatsOps, AutoCloseable {

    /** The name it was created with; its link messages and worker thread carry it. */
    String name();

    /** The link as configured: {@code loopback} or {@code cable:<name>}. */
    String link();

    /** Whether the link has another end (a loopback always does). */
    boolean linkUp();

    /** Config-space accesses the device refused: outside config space, or writes to read-only fields. */
    long configRefused();

    /**
     * Unplugs the device from its link and stops its worker, after a reset: no callback runs once
     * this returns. Idempotent.
     */
    @Override
    void close();
}
