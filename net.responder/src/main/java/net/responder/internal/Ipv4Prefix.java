package net.responder.internal;

/**
 * An interface address with its prefix length, as {@code ip addr} writes it: {@code 10.0.3.1/24}.
 *
 * @param address the address, first octet most significant
 * @param length the prefix length, 0 to 32
 */
record Ipv4Prefix(int address, int length) {

    /**
     * Parses {@code a.b.c.d/n} ({@code /32} if no length is given) and checks it can be a host's
     * address: not 0.0.0.0, loopback, multicast, reserved or broadcast, and not the network or
     * broadcast address of its own prefix (a prefix of 31 or 32 has neither).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Ipv4Prefix parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String a = slash < 0 ? t : t.substring(0, slash);
        int length = 32;
        if (slash >= 0) {
            String n = t.substring(slash + 1);
            if (!n.matches("[0-9]{1,2}") || (length = Integer.parseInt(n)) > 32) {
                throw invalid(text, "prefix length '" + n + "' is not 0 to 32");
            }
        }
        String[] octets = a.split("\\.", -1);
        if (octets.length != 4) {
            throw invalid(text, "expected 4 dot-separated octets, got " + octets.length);
        }
        int v = 0;
        for (String o : octets) {
            if (!o.matches("[0-9]{1,3}") || Integer.parseInt(o) > 255) {
                throw invalid(text, "octet '" + o + "' is not 0 to 255");
            }
            v = v << 8 | Integer.parseInt(o);
        }
        Ipv4Prefix p = new Ipv4Prefix(v, length);
        String why = p.notAHost();
        if (why != null) {
            throw invalid(text, why);
        }
        return p;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid address '" + text + "': " + why);
    }

    /** Why this cannot be a host's address, or null. */
    private String notAHost() {
        if (address == 0) {
            return "0.0.0.0 is the unspecified address";
        }
        if (address >>> 24 == 127) {
            return "127.0.0.0/8 is loopback";
        }
        if (address >>> 28 == 0xe) {
            return "224.0.0.0/4 is multicast";
        }
        if (address >>> 28 == 0xf) {
            return address == -1 ? "255.255.255.255 is the broadcast address" : "240.0.0.0/4 is reserved";
        }
        if (length <= 30) {
            int host = length == 0 ? -1 : -1 >>> length;
            if ((address & host) == 0) {
                return "it is the network address of " + dotted(address & ~host) + "/" + length;
            }
            if ((address & host) == host) {
                return "it is the broadcast address of " + dotted(address & ~host) + "/" + length;
            }
        }
        return null;
    }

    static String dotted(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    @Override
    public String toString() {
        return dotted(address) + "/" + length;
    }
}
