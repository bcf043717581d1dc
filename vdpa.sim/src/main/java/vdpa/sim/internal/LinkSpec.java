package vdpa.sim.internal;

import linux.ffm.Netns;
import virtio.net.api.Ethernet;
import vdpa.sim.VdpaSimNet;

/**
 * What a device's wire is connected to, as configured: {@code loopback}, {@code cable:<name>},
 * {@code tap:<ifname>[@<netns>]}, {@code sink} or {@code generator:<size>[,count=<n>]}. A spec
 * prints as it is parsed, so a link can be compared with and made again from its text.
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

    /** Frames sent are counted and dropped. */
    record Sink() implements LinkSpec {
        @Override
        public String toString() {
            return VdpaSimNet.LINK_SINK;
        }
    }

    /**
     * Frames of {@code size} bytes sent to the device as fast as it takes them; {@code count} of
     * them, or without end if 0. What the device sends is counted and dropped.
     */
    record Generator(int size, long count) implements LinkSpec {
        /** The shortest frame: an Ethernet header and nothing else. */
        static final int MIN_SIZE = Ethernet.ETH_HLEN;
        /** The longest frame any device takes (the largest MTU's). */
        static final int MAX_SIZE = TapLink.MAX_FRAME;

        @Override
        public String toString() {
            return VdpaSimNet.LINK_GENERATOR_PREFIX + size + (count == 0 ? "" : VdpaSimNet.LINK_GENERATOR_COUNT + count);
        }
    }

    LinkSpec LOOPBACK = new Loopback();
    LinkSpec SINK = new Sink();

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
        if (t.equals(VdpaSimNet.LINK_SINK)) {
            return SINK;
        }
        if (t.startsWith(VdpaSimNet.LINK_GENERATOR_PREFIX)) {
            return generator(text, t.substring(VdpaSimNet.LINK_GENERATOR_PREFIX.length()));
        }
        if (t.startsWith(VdpaSimNet.LINK_CABLE_PREFIX)) {
            String name = t.substring(VdpaSimNet.LINK_CABLE_PREFIX.length());
            if (name.matches("[A-Za-z0-9_.:-]{1,64}")) {
                return new Cable(name);
            }
        }
        if (t.startsWith(VdpaSimNet.LINK_TAP_PREFIX)) {
            return tap(text, t.substring(VdpaSimNet.LINK_TAP_PREFIX.length()));
        }
        throw new IllegalArgumentException("invalid link '" + text + "': expected loopback, cable:<name>, tap:<ifname>[@<netns>], sink or generator:<size>[,count=<n>]");
    }

    private static Generator generator(String text, String rest) {
        int comma = rest.indexOf(',');
        String size = comma < 0 ? rest : rest.substring(0, comma);
        long count = 0;
        if (comma >= 0) {
            String c = rest.substring(comma);
            if (!c.startsWith(VdpaSimNet.LINK_GENERATOR_COUNT)) {
                throw new IllegalArgumentException("invalid link '" + text + "': after the size only " + VdpaSimNet.LINK_GENERATOR_COUNT.substring(1) + "<n> may follow");
            }
            count = number(text, "count", c.substring(VdpaSimNet.LINK_GENERATOR_COUNT.length()), 1, Long.MAX_VALUE);
        }
        int bytes = (int) number(text, "size", size, Generator.MIN_SIZE, Generator.MAX_SIZE);
        return new Generator(bytes, count);
    }

    /** A decimal number in {@code min..max}, or a refusal naming {@code what}. */
    private static long number(String text, String what, String digits, long min, long max) {
        long n;
        try {
            // digits only: no sign, no blanks, no hex
            n = digits.matches("[0-9]{1,19}") ? Long.parseLong(digits) : -1;
        } catch (NumberFormatException tooLarge) {
            n = -1;
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("invalid link '" + text + "': " + what + " '" + digits + "' is not a number in " + min + ".." + max);
        }
        return n;
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
