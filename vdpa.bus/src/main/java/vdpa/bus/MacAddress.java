package vdpa.bus;

import java.util.HexFormat;

/**
 * A 48-bit Ethernet MAC address.
 *
 * @param value the address in the low 48 bits, first octet most significant
 */
public record MacAddress(long value) {

    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC address value 0x" + Long.toHexString(value) + " exceeds 48 bits");
        }
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff}: six groups of exactly two hex digits separated by colons.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static MacAddress parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("invalid mac '" + text + "': expected 6 colon-separated octets, got " + parts.length);
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2 || !HexFormat.isHexDigit(p.charAt(0)) || !HexFormat.isHexDigit(p.charAt(1))) {
                throw new IllegalArgumentException("invalid mac '" + text + "': octet '" + p + "' is not two hex digits");
            }
            v = (v << 8) | HexFormat.fromHexDigits(p);
        }
        return new MacAddress(v);
    }

    /** The six octets, first on the wire first. */
    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (8 * (5 - i)));
        }
        return b;
    }

    /** {@code aa:bb:cc:dd:ee:ff}, lower case. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(17);
        for (byte b : bytes()) {
            s.append(s.isEmpty() ? "" : ":").append(HexFormat.of().toHexDigits(b));
        }
        return s.toString();
    }
}
