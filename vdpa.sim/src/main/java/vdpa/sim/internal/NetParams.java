package vdpa.sim.internal;

import java.nio.charset.StandardCharsets;
import virtio.net.api.MacAddress;
import vdpa.bus.VdpaDevAttrs;
import vdpa.sim.VdpaSimNet;
import vdpa.sim.model.NetModelSpec;

/**
 * Everything one simulated net device is created with, defaults applied.
 *
 * @param name the device name on the vDPA bus
 * @param mac the MAC address in config space
 * @param mtu the MTU in config space; frames up to mtu + 14 bytes pass
 * @param maxVqp queue pairs (max_virtqueue_pairs)
 * @param features the features offered
 * @param link what the wire connects to
 */
record NetParams(String name, MacAddress mac, int mtu, int maxVqp, long features, LinkSpec link) {

    /** Most queue pairs a device may have (2 * 16 + 1 virtqueues), vDPA device or model alike. */
    static final int MAX_VQP = NetModelSpec.MAX_VQP;

    /** Parameters from {@code vdpa dev add} attributes (already checked against the management device). */
    static NetParams of(VdpaDevAttrs a, LinkSpec link) {
        return new NetParams(a.name(), a.mac().orElseGet(() -> defaultMac(a.name())),
                a.mtu().orElse(VdpaSimNet.DEFAULT_MTU), a.maxVqp().orElse(1),
                SimNetFeatures.OFFERED & a.deviceFeatures().orElse(SimNetFeatures.OFFERED), link);
    }

    /**
     * A locally administered unicast MAC derived from the name (02 followed by five bytes of the
     * name's 64-bit FNV-1a hash), so a device keeps its address across restarts without config.
     */
    static MacAddress defaultMac(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new MacAddress(0x02_00_0000_0000L | (h & 0xff_ffff_ffffL));
    }

    /** Parameters of a model: every offered feature. */
    static NetParams of(NetModelSpec m) {
        return new NetParams(m.name(), m.mac().orElseGet(() -> defaultMac(m.name())), m.mtu(), m.maxVqp(), SimNetFeatures.OFFERED, LinkSpec.parse(m.link()));
    }
}
