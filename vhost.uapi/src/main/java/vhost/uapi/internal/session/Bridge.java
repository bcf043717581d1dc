package vhost.uapi.internal.session;

import static virtio.spec.VirtioConfig.VIRTIO_CONFIG_S_DRIVER_OK;

import java.lang.System.Logger.Level;
import vdpa.bus.VdpaCallback;
import vdpa.bus.VdpaDevice;
import vdpa.bus.VdpaFeatures;
import vdpa.bus.VqState;
import vdpa.bus.VqStateSupport;
import vhost.uapi.internal.proto.ProtocolError;
import vhost.uapi.internal.proto.ProtocolException;
import virtio.spec.VirtqPacked;
import virtio.spec.VirtqSplit;
import virtio.spec.VirtioFeatures;

/**
 * Turns the front-end's set-up into vDPA config ops, the only place that programs the device.
 * {@link #sync} compares what the session holds with what the device was given and closes the
 * gap in the spec's order: features (reset, ACKNOWLEDGE | DRIVER, set_driver_features,
 * FEATURES_OK), the DMA map of the memory table, each wanted ring (num, address, state,
 * callback, ready, and one kick for whatever the front-end kicked before), then DRIVER_OK.
 * Stopping a ring always keeps where it stands first ({@link #stopRing}), so a ring resumes where
 * the device left it, never at 0. A device that keeps no queue state (a virtio-pci function,
 * {@link VqStateSupport#INITIAL_ONLY}) is stopped by a reset and its positions are read from guest
 * memory; it starts a ring only at its start, so a ring whose base is elsewhere stays stopped.
 */
final class Bridge {

    private static final System.Logger LOG = System.getLogger("vhost.uapi");

    private final String name;
    private final VdpaDevice device;
    private final DeviceMaps map;
    private final VdpaCallback configCb;
    private final Vring[] rings;
    private final GuestMemory mem;
    /** Whether the device reads and restores queue state; else it only starts queues at their start and stops them by a reset. */
    private final boolean stateKept;

    private boolean featuresProgrammed;
    private long programmedFeatures;
    /** The feature word the device refused last (so it is not tried again and again), or -1. */
    private long refused = -1;
    private int mappedVersion = -1;
    private boolean driverOk;
    /** The device's control queue when the bridge drives it (see {@link ShadowControl}), else null. */
    private ShadowControl shadow;

    Bridge(String name, VdpaDevice device, VdpaCallback configCb, Vring[] rings, GuestMemory mem) {
        this.name = name;
        this.device = device;
        this.map = new DeviceMaps(device);
        this.configCb = configCb;
        this.rings = rings;
        this.mem = mem;
        this.stateKept = device.vqStateSupport() == VqStateSupport.SAVE_RESTORE;
    }

    /** Whether the device reports where its queues stand (else {@link VqStateSupport#INITIAL_ONLY}). */
    boolean reportsQueueState() {
        return stateKept;
    }

    VdpaDevice device() {
        return device;
    }

    /** The features the device runs with, or -1 before negotiation. */
    long deviceFeatures() {
        return featuresProgrammed ? programmedFeatures : -1;
    }

    /** Whether the device refused the features it was last given. */
    boolean featuresRefused() {
        return !featuresProgrammed && refused != -1;
    }

    boolean packed() {
        return VirtioFeatures.has(programmedFeatures, VirtioFeatures.VIRTIO_F_RING_PACKED);
    }

    /**
     * Brings the device to what the session wants.
     *
     * @param features the device features wanted, or -1 for none yet
     * @param run whether the device should be at DRIVER_OK (given that any ring is ready)
     */
    void sync(long features, boolean statusDriverOk, boolean statusDriven, boolean ownControlQueue) throws ProtocolException {
        if (featuresProgrammed && features != programmedFeatures) {
            reset();
        }
        if (features == -1) {
            refused = -1;
            return;
        }
        if (!featuresProgrammed) {
            if (features == refused) {
                return;
            }
            if (!negotiate(features)) {
                refused = features;
                return;
            }
            refused = -1;
            if (ownControlQueue) {
                shadow = new ShadowControl(name, device, device.vqCount() - 1, features);
            }
        }
        if (mappedVersion != mem.version()) {
            map.set(withShadow(mem.iotlb()));
            mappedVersion = mem.version();
            if (shadow != null && !shadow.started()) {
                shadow.start();
            }
        }
        boolean any = false;
        for (Vring r : rings) {
            boolean want = r.wanted() && !mem.isEmpty();
            if (r.programmed && !want) {
                stopRing(r);
            } else if (!r.programmed && want && startsAt(r)) {
                startRing(r);
            }
            any |= r.programmed;
        }
        boolean run = statusDriven ? statusDriverOk : any;
        if (run && !driverOk) {
            device.setStatus(device.getStatus() | VIRTIO_CONFIG_S_DRIVER_OK);
            driverOk = true;
        }
        if (shadow != null && driverOk) {
            shadow.setPairs(receivingPairs(rings));
        }
    }

    /** The leading queue pairs whose receive ring runs: the pairs the front-end uses. */
    private static int receivingPairs(Vring[] rings) {
        int n = 0;
        while (2 * n < rings.length - 1 && rings[2 * n].programmed) {
            n++;
        }
        return n;
    }

    /** The pairs the device receives on, as the bridge set them; 0 if the front-end drives the control queue. */
    int receivePairs() {
        return shadow == null ? 0 : shadow.pairs();
    }

    /** The front-end's memory plus the bridge's control area, if it drives the control queue. */
    private vdpa.bus.Iotlb withShadow(vdpa.bus.Iotlb memory) throws ProtocolException {
        if (shadow == null) {
            return memory;
        }
        java.util.List<vdpa.bus.IotlbMapping> all = new java.util.ArrayList<>(memory.mappings());
        all.add(shadow.mapping());
        try {
            return new vdpa.bus.Iotlb(all);
        } catch (IllegalArgumentException overlap) {
            throw new ProtocolException(ProtocolError.BAD_REGION, "a memory region reaches the bridge's control area at 0x"
                    + Long.toHexString(ShadowControl.IOVA) + " (" + overlap.getMessage() + ")");
        }
    }

    private boolean negotiate(long features) {
        if (!VdpaFeatures.negotiate(device, features)) {
            LOG.log(Level.WARNING, "vhost {0}: the device refused features 0x{1}", name, Long.toHexString(features));
            device.reset();
            return false;
        }
        device.setConfigCb(configCb);
        featuresProgrammed = true;
        programmedFeatures = features;
        mappedVersion = -1;
        driverOk = false;
        return true;
    }

    /**
     * Whether the device can start {@code r} at its base: any base where the device restores queue
     * state, else only a ring's start. A ring it cannot start stays stopped (said once per base) until
     * the front-end sets a base it can.
     */
    private boolean startsAt(Vring r) {
        if (stateKept || !r.baseSet || RingBase.isInitial(r.base, packed())) {
            return true;
        }
        if (r.unstartableBase != r.base) {
            r.unstartableBase = r.base;
            LOG.log(Level.WARNING, "vhost {0}: ring {1} stays stopped: the device starts a queue only at its start, not at base 0x{2}",
                    name, r.index, Long.toHexString(r.base));
        }
        return false;
    }

    /**
     * Whether a SET_VRING_BASE of {@code word} is one the device can start at; {@code packed} is
     * the layout the front-end negotiated, or null if it has not set features yet (then either
     * layout's start will do).
     */
    boolean takesBase(long word, Boolean packed) {
        if (stateKept) {
            return true;
        }
        return packed == null ? RingBase.isInitial(word, false) || RingBase.isInitial(word, true) : RingBase.isInitial(word, packed);
    }

    private void startRing(Vring r) throws ProtocolException {
        boolean packed = packed();
        int n = r.num;
        if (packed ? !VirtqPacked.isValidSize(n) : !VirtqSplit.isValidSize(n)) {
            throw new ProtocolException(ProtocolError.BAD_QUEUE_SIZE, "ring " + r.index + ": size " + n + " is not valid for a "
                    + (packed ? "packed" : "split") + " ring");
        }
        long desc = guest(mem, r, "descriptor", r.addr.desc(), packed ? VirtqPacked.descRingSize(n) : VirtqSplit.descTableSize(n));
        long driver = guest(mem, r, "driver", r.addr.avail(), packed ? VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE : VirtqSplit.availRingSize(n));
        long dev = guest(mem, r, "device", r.addr.used(), packed ? VirtqPacked.PVIRTQ_EVENT_SUPPRESS_SIZE : VirtqSplit.usedRingSize(n));
        VqState state = r.baseSet ? RingBase.toState(r.base, packed, r.index) : VqState.initial(packed);
        try {
            device.setVqNum(r.index, n);
            device.setVqAddress(r.index, desc, driver, dev);
            device.setVqState(r.index, state);
            device.setVqCb(r.index, r.callback);
            device.setVqReady(r.index, true);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ProtocolException(ProtocolError.DEVICE_REFUSED, "ring " + r.index + ": " + e.getMessage());
        }
        r.programmed = true;
        // a kick the front-end sent before the ring was ready (before SET_VRING_ENABLE, say) is not lost
        device.kickVq(r.index);
    }

    /** The guest-physical address of a ring area given in front-end user addresses. */
    private static long guest(GuestMemory mem, Vring r, String area, long uva, long length) throws ProtocolException {
        long gpa = mem.userToGuest(uva, length);
        if (gpa == -1) {
            throw new ProtocolException(ProtocolError.BAD_RING_ADDRESS, "ring " + r.index + ": the " + area + " area at user address 0x"
                    + Long.toHexString(uva) + " (" + length + " bytes) lies in no memory region");
        }
        return gpa;
    }

    /**
     * Stops a ready ring and keeps where the device stands as the ring's base. A device that keeps
     * no queue state stops a running queue only with all the others, by a reset (see
     * {@link #stopByReset}).
     */
    void stopRing(Vring r) {
        if (!r.programmed) {
            return;
        }
        if (!stateKept && driverOk) {
            stopByReset(r);
            return;
        }
        device.setVqReady(r.index, false);
        keepPosition(r);
    }

    /** Where a stopped ring stands, kept as its base: from the device, or (it cannot tell) from guest memory. */
    private void keepPosition(Vring r) {
        if (stateKept) {
            r.base = RingBase.of(device.getVqState(r.index));
        } else if (driverOk) {
            r.base = positionInMemory(r);
        } // else the ring never ran: it stands where it was started
        r.baseSet = true;
        r.programmed = false;
    }

    /**
     * Stops {@code asked} on a device that cannot stop one queue: every running ring stops, each
     * keeping the position the front-end resumes from, then the device is reset. The rings the
     * front-end did not stop are marked stopped too (a kick descriptor starts them again), since
     * the device starts a queue again only at its start.
     */
    private void stopByReset(Vring asked) {
        StringBuilder others = new StringBuilder();
        for (Vring r : rings) {
            if (r.programmed) {
                keepPosition(r);
                if (r != asked && r.started) {
                    r.started = false;
                    others.append(' ').append(r.index);
                }
            }
        }
        if (!others.isEmpty()) {
            LOG.log(Level.WARNING, "vhost {0}: stopping ring {1} resets the device (it stops no queue on its own): rings{2} stopped"
                    + " with it", name, asked.index, others);
        }
        resetDevice();
    }

    /**
     * The position a ring resumes from, read where the device left it in guest memory (as QEMU's
     * vhost-vdpa does for a device without suspend): split, the used ring's index, since every
     * buffer the device finished is there and one it had taken but not finished is taken again;
     * packed, whose rings hold no index, the state the ring was started at, which on such a device
     * is always its start. If the used ring cannot be read, the base the ring was started at.
     */
    private long positionInMemory(Vring r) {
        if (packed()) {
            return RingBase.of(VqState.initial(true));
        }
        int used = mem.readU16(r.addr.used() + VirtqSplit.VIRTQ_USED_IDX);
        return used < 0 ? r.base : used;
    }

    /** Stops every ring (keeping their positions), resets the device; features are negotiated again on the next sync. */
    void reset() {
        for (Vring r : rings) {
            if (r.programmed) {
                if (stateKept || !driverOk) {
                    device.setVqReady(r.index, false);
                }
                keepPosition(r);
            }
        }
        resetDevice();
    }

    /** Resets the device; features are negotiated and the memory mapped again on the next sync. */
    private void resetDevice() {
        device.reset();
        featuresProgrammed = false;
        driverOk = false;
        mappedVersion = -1;
        if (shadow != null) {
            map.clear(); // the next sync maps the memory again, without the old control area
            shadow.close();
            shadow = null;
        }
    }

    /** Before the memory table changes: the device stops using the old memory (the next sync maps the new). */
    void releaseMemory() throws ProtocolException {
        for (Vring r : rings) {
            stopRing(r);
        }
        // the control area stays mapped: its queue runs whatever the front-end's memory does
        map.set(withShadow(vdpa.bus.Iotlb.EMPTY));
        mappedVersion = -1;
    }

    /**
     * Before a region goes (REM_MEM_REG): the rings whose areas lie in it stop, the device's
     * translation of it goes, and nothing else moves: rings in other regions run on.
     */
    void releaseRegion(GuestMemory.Mapped gone) throws ProtocolException {
        for (Vring r : rings) {
            if (r.programmed && (in(gone, r.addr.desc()) || in(gone, r.addr.avail()) || in(gone, r.addr.used()))) {
                stopRing(r);
            }
        }
        map.set(withShadow(mem.iotlbWithout(gone)));
        mappedVersion = -1; // the next sync gives the same table: nothing to do
    }

    private static boolean in(GuestMemory.Mapped region, long uva) {
        return region.region().holdsUser(uva, 1);
    }

    /** When the front-end goes: reset, and nothing of its memory left in the device. */
    void close() {
        reset();
        map.clear();
    }
}
