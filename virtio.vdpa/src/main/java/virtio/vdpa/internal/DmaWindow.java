package virtio.vdpa.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import vdpa.bus.Iotlb;
import vdpa.bus.IotlbMapping;
import vdpa.bus.IotlbPermission;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaDmaMapOps;
import vdpa.bus.VdpaResetMapOps;
import vdpa.bus.VdpaSetMapOps;
import virtio.ring.DmaPool;

/**
 * A {@link DmaPool} as one read-write translation in a vDPA device's address space 0, where every
 * virtqueue group starts (the kernel's default group-to-ASID binding). The kernel's virtio_vdpa
 * reaches the same end through the device's DMA device; a device here translates only what it is
 * told, through dma_map or set_map.
 */
final class DmaWindow {

    private static final Logger LOG = System.getLogger(DmaWindow.class.getName());

    /** The address space the pool is mapped into. */
    static final int ASID = 0;

    /** How the device takes translations. */
    enum Kind {
        /** Incremental: {@link VdpaDmaMapOps#dmaMap}, preferred when a device has both. */
        DMA_MAP("dma_map"),
        /** Whole table: {@link VdpaSetMapOps#setMap} with a one-entry IOTLB. */
        SET_MAP("set_map");

        final String op;

        Kind(String op) {
            this.op = op;
        }

        /** The kind a device supports, or {@code null} if it takes no translations at all. */
        static Kind of(VdpaDevice device) {
            if (device instanceof VdpaDmaMapOps) {
                return DMA_MAP;
            }
            return device instanceof VdpaSetMapOps ? SET_MAP : null;
        }
    }

    private final VdpaDevice device;
    private final Kind kind;
    private final IotlbMapping mapping;

    DmaWindow(VdpaDevice device, Kind kind, DmaPool pool) {
        this.device = device;
        this.kind = kind;
        // address: the process virtual address of the memory, which is what an in-JVM device (or a
        // use_va parent) translates to; memory: the same range, for devices that access it directly
        this.mapping = new IotlbMapping(pool.iovaBase(), pool.size(), pool.segment().address(), IotlbPermission.RW,
                pool.segment());
    }

    Kind kind() {
        return kind;
    }

    IotlbMapping mapping() {
        return mapping;
    }

    /** Installs the translation; the device's refusal propagates. */
    void map() {
        switch (kind) {
            case DMA_MAP -> ((VdpaDmaMapOps) device).dmaMap(ASID, mapping);
            case SET_MAP -> ((VdpaSetMapOps) device).setMap(ASID, new Iotlb(List.of(mapping)));
        }
    }

    /**
     * Puts the translation back after a virtio reset. A device with reset_map declares that its
     * reset keeps mappings; any other may drop them on reset (what the kernel's compat_reset and
     * VDPA_RESET_F_CLEAN_MAP exist for), and the class driver that resets during negotiation would
     * then set up rings nobody can reach. Re-mapping is idempotent: dma_unmap first, set_map replaces.
     */
    void restoreAfterReset() {
        if (device instanceof VdpaResetMapOps) {
            return;
        }
        if (kind == Kind.DMA_MAP) {
            try {
                ((VdpaDmaMapOps) device).dmaUnmap(ASID, mapping.iova(), mapping.size());
            } catch (RuntimeException alreadyGone) {
                // the reset dropped it: exactly the case this method is for
            }
        }
        map();
    }

    /**
     * Takes the translation out (dma_unmap, or set_map with an empty IOTLB), then lets a device with
     * reset_map return to its default mapping for the next driver. Best effort: a device that went
     * bad is logged, never thrown from, since this runs on remove.
     */
    void unmap(String who) {
        try {
            switch (kind) {
                case DMA_MAP -> ((VdpaDmaMapOps) device).dmaUnmap(ASID, mapping.iova(), mapping.size());
                case SET_MAP -> ((VdpaSetMapOps) device).setMap(ASID, Iotlb.EMPTY);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "{0}: {1} removal of the DMA pool failed: {2}", who, kind.op, e.toString());
        }
        if (device instanceof VdpaResetMapOps r) {
            try {
                r.resetMap(ASID);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "{0}: reset_map failed: {1}", who, e.toString());
            }
        }
    }
}
