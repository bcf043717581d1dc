package vdpa.sim.internal;

import vdpa.sim.VdpaSimNet;

/** What a device's wire is connected to, as configured: {@code loopback} or {@code cable:<name>}. */
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

    LinkSpec LOOPBACK = new Loopback();

    /**
     * Parses a link value; blank or null is loopback.
     *
     * @throws IllegalArgumentException naming the value
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
        throw new IllegalArgumentException("invalid link '" + text + "': expected loopback or cable:<name>");
    }
}
