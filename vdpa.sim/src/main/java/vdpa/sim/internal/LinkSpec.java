package vdpa.sim.internal;

import linux.ffm.Netns;
import vdpa.sim.VdpaSimNet;

/**
 * What a device's wire is connected to, as configured: {@code loopback}, {@code cable:<name>} or
 * {@code tap:<ifname>[@<netns>]}.
 */
sealed interface LinkSpec {

    /** Frames sent come back on the same device. */
    record Loopback() implements LinkSpec {
        @Override
        public String toString() {
            return VdpaSimNet.LINK_LOOPBACK;
        }
    }

    /** One end of the cable of this name. */
    record Cable(String name) implements LinkSpec {
        @Override
        public String toString() {
            return VdpaSimNet.LINK_CABLE_PREFIX + name;
        }
    }

    /** The host's TAP interface {@code ifname}, in the network namespace {@code netns} (null: the runtime's own). */
    record Tap(String ifname, String netns) implements LinkSpec {
        @Override
        public String toString() {
            return VdpaSimNet.LINK_TAP_PREFIX + ifname + (netns == null ? "" : VdpaSimNet.LINK_TAP_NETNS + netns);
        }
    }

    LinkSpec LOOPBACK = new Loopback();

    /**
     * Parses a link value; blank or null is loopback.
     *
     * @throws IllegalArgumentException naming the value and what is wrong with it
     */
    static LinkSpec parse(String text) {
        if (text == null || text.isBlank() || text.strip().equals(VdpaSimNet.LINK_LOOPBACK)) {
            return LOOPBACK;
        }
        String t = text.strip();
        if (t.startsWith(VdpaSimNet.LINK_CABLE_PREFIX)) {
            String name = t.substring(VdpaSimNet.LINK_CABLE_PREFIX.length());
            if (name.matches("[A-Za-z0-9_.:-]{1,64}")) {
                return new Cable(name);
            }
        }
        if (t.startsWith(VdpaSimNet.LINK_TAP_PREFIX)) {
            return tap(text, t.substring(VdpaSimNet.LINK_TAP_PREFIX.length()));
        }
        throw new IllegalArgumentException("invalid link '" + text + "': expected loopback, cable:<name> or tap:<ifname>[@<netns>]");
    }

    private static Tap tap(String text, String rest) {
        int at = rest.indexOf(VdpaSimNet.LINK_TAP_NETNS);
        String ifname = at < 0 ? rest : rest.substring(0, at);
        String netns = at < 0 ? null : rest.substring(at + 1);
        String invalid = linux.ffm.Tap.invalidName(ifname);
        if (invalid == null && netns != null) {
            invalid = Netns.invalidName(netns);
        }
        if (invalid != null) {
            throw new IllegalArgumentException("invalid link '" + text + "': " + invalid);
        }
        return new Tap(ifname, netns);
    }
}
