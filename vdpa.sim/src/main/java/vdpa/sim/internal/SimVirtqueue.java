package vdpa.sim.internal;

import java.util.Arrays;
import vdpa.bus.VdpaCallback;
import vdpa.bus.VqState;
import virtio.ring.AddressSpace;
import virtio.ring.DescriptorChain;
import virtio.ring.DeviceQueue;
import virtio.ring.RingErrorCounter;
import virtio.ring.VirtqueueState;
import virtio.spec.VirtioFeatures;

/**
 * One virtqueue of the device: what the driver programmed (size, addresses, callback, ready,
 * saved state) and, while the device runs, the open ring. Guarded by the device lock.
 *
 * <p>Chains the device popped but could not use yet (a mergeable frame that found too few
 * buffers) are <em>held</em> and used first for the next frame. They are always the last ones
 * popped, so the queue's state is reported as if they had not been popped ({@link #state()}
 * rewinds over them): restoring that state lets the device read them again, and none is lost
 * across suspend, a ready toggle or a move to another device. A transmit chain whose frame the
 * peer refused (its FIFO filled between the peek and the copy) is held the same way.
 */
final class SimVirtqueue {

    final int index;
    final QueueStats stats = new QueueStats();

    int num;
    long descArea;
    long driverArea;
    long deviceArea;
    boolean addressed;
    boolean ready;
    VdpaCallback cb;
    VqState saved = VqState.Split.INITIAL;
    /** The open ring, or null while stopped. */
    DeviceQueue ring;
    /**
     * Whether the queue is waiting: RX for buffers, TX for room at the peer. Only so that each wait
     * is counted once ({@link Stat#RX_WAIT_BUFFER}, {@link Stat#TX_PAUSE}).
     */
    boolean waiting;
    /**
     * Whether the datapath asked the driver not to kick ({@link DeviceQueue#disableNotifications}):
     * it is busy with the queue and looks again by itself. Cleared, and the driver asked to kick
     * again, whenever the queue runs dry or the ring is closed.
     */
    boolean quiet;

    /** Chain objects for one frame: [0, heldCount) are held from before. */
    private DescriptorChain[] chains = new DescriptorChain[0];
    private int heldCount;

    SimVirtqueue(int index) {
        this.index = index;
    }

    /** Back to the state after reset (counters stay). */
    void reset() {
        num = 0;
        descArea = 0;
        driverArea = 0;
        deviceArea = 0;
        addressed = false;
        ready = false;
        cb = null;
        saved = VqState.Split.INITIAL;
        ring = null;
        heldCount = 0;
        waiting = false;
        quiet = false;
    }

    /** set_vq_address: only while stopped. */
    void setAddress(long descArea, long driverArea, long deviceArea) {
        requireStopped();
        this.descArea = descArea;
        this.driverArea = driverArea;
        this.deviceArea = deviceArea;
        this.addressed = true;
    }

    /** set_vq_num: 1..max, only while stopped. */
    void setNum(int num, int max) {
        if (num < 1 || num > max) {
            throw new IllegalArgumentException("virtqueue size " + num + " is outside 1.." + max);
        }
        requireStopped();
        this.num = num;
    }

    private void requireStopped() {
        if (ring != null) {
            throw new IllegalStateException("virtqueue " + index + " is running");
        }
    }

    /**
     * set_vq_state: only while stopped or suspended, and of the negotiated layout if features are
     * set ({@code packed} null before FEATURES_OK). The ring reopens at it.
     */
    void restore(VqState state, Boolean packed, boolean suspended) {
        if (ring != null && !suspended) {
            throw new IllegalStateException("virtqueue " + index + " is running: suspend it or make it not ready first");
        }
        if (packed != null && (state instanceof VqState.Packed) != packed) {
            throw new IllegalArgumentException("virtqueue " + index + ": " + state + " does not match the negotiated ring layout");
        }
        ring = null;
        saved = state;
    }

    /** Whether size and addresses were set, so the ring can be opened. */
    boolean configured() {
        return addressed && num > 0;
    }

    /** Opens the ring at the saved state; the ring may come back broken (a bad address or state). */
    void open(AddressSpace space, long features, RingErrorCounter errors) {
        ring = DeviceQueue.open(space, num, features, descArea, driverArea, deviceArea, ringState(saved, features), errors);
        heldCount = 0;
        quiet = false;
    }

    /** Stops processing, keeping the position in {@link #saved}. */
    void close() {
        if (ring != null) {
            saved = state();
            if (quiet) {
                // the ring reopens asking for kicks: the driver must not be left believing it should not
                ring.enableNotifications();
                quiet = false;
            }
            ring = null;
            heldCount = 0;
            waiting = false;
        }
    }

    /** Where the device side stands, held chains not counted as taken. */
    VqState state() {
        if (ring == null) {
            return saved;
        }
        return switch (ring.state()) {
            case VirtqueueState.Split s -> new VqState.Split((s.lastAvailIdx() - heldCount) & 0xffff);
            case VirtqueueState.Packed p -> {
                int descs = 0;
                for (int i = 0; i < heldCount; i++) {
                    descs += chains[i].descriptorCount();
                }
                int pos = p.lastAvailIdx() - descs;
                boolean wrap = p.lastAvailWrap();
                if (pos < 0) {
                    pos += ring.size();
                    wrap = !wrap;
                }
                yield new VqState.Packed(pos, wrap, p.lastUsedIdx(), p.lastUsedWrap());
            }
        };
    }

    private static VirtqueueState ringState(VqState s, long features) {
        boolean packed = VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_RING_PACKED);
        if (!packed && s instanceof VqState.Split sp) {
            // every chain before the saved index was used: the used index starts there too (as vringh does)
            return new VirtqueueState.Split(sp.availIndex(), sp.availIndex());
        }
        if (packed && s instanceof VqState.Packed p) {
            return new VirtqueueState.Packed(p.lastAvailIdx(), p.lastAvailCounter(), p.lastUsedIdx(), p.lastUsedCounter());
        }
        return VirtqueueState.initial(features);
    }

    /**
     * The {@code i}-th chain for the frame being placed: a held one, else the next one popped
     * (which becomes held). Null if the ring has no more.
     */
    DescriptorChain chain(int i) {
        if (i < heldCount) {
            return chains[i];
        }
        if (i >= chains.length) {
            int n = Math.max(4, chains.length * 2);
            chains = Arrays.copyOf(chains, n);
            for (int k = 0; k < n; k++) {
                if (chains[k] == null) {
                    chains[k] = ring.newChain();
                }
            }
        }
        if (!ring.pop(chains[i])) {
            return null;
        }
        heldCount = i + 1;
        return chains[i];
    }

    /** The first {@code k} held chains were returned used; the rest move to the front. */
    void consume(int k) {
        int left = heldCount - k;
        for (int i = 0; i < left; i++) {
            DescriptorChain c = chains[i];
            chains[i] = chains[k + i];
            chains[k + i] = c;
        }
        heldCount = left;
    }
}
