package vdpa.sim.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import virtio.net.api.MacAddress;
import vdpa.bus.VdpaDevAttrs;
import vdpa.sim.VdpaSimNet;

/**
 * What a {@link NetModel} is created with.
 *
 * <p>The values are checked as {@code vdpa dev add} checks its attributes ({@link VdpaDevAttrs}).
 *
 * @param name unique among the models and the simulator's devices, for link messages and threads;
 *     a vDPA device name's characters
 * @param mac the MAC address in config space; empty: the simulator's locally administered address
 *     derived from the name, as for a {@code vdpasim_net} device created without one
 * @param mtu the MTU in config space
 * @param maxVqp queue pairs, 1..{@value #MAX_VQP}
 * @param link {@value VdpaSimNet#LINK_LOOPBACK} or {@code cable:<name>}: a cable joins a model and
 *     a {@code vdpasim_net} device (or two models) naming the same cable
 */
public record NetModelSpec(String name, Optional<MacAddress> mac, int mtu, int maxVqp, String link) {

    /** Most queue pairs a simulated device may have. */
    public static final int MAX_VQP = 16;

    /** Checks each value on its own; the message names it. */
    public NetModelSpec {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(link, "link");
        // the checks of vdpa dev add: name, mtu, max_vqp
        new VdpaDevAttrs(name, mac, OptionalInt.of(mtu), OptionalInt.of(maxVqp), OptionalLong.empty());
        if (maxVqp > MAX_VQP) {
            throw new IllegalArgumentException("invalid max_vqp " + maxVqp + ": must be 1.." + MAX_VQP);
        }
    }
}
