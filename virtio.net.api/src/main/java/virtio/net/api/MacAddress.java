package virtio.net.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * A 48-bit Ethernet MAC address held in the low 48 bits of a long, first octet most significant,
 * so it is immutable, comparable and allocation-free to pass around.
 *
 * @param value the address; bits 48..63 must be zero
 */
public record MacAddress(long value) {

    private static final HexFormat HEX = HexFormat.ofDelimiter(":");
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** The group bit (I/G): bit 0 of the first octet, bit 40 of the value. */
    private static final long GROUP_BIT = 1L << 40;

    /** The broadcast address ff:ff:ff:ff:ff:ff. */
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

    /** Checks the value fits 48 bits. */
    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC address 0x" + Long.toHexString(value) + " exceeds 48 bits");
        }
    }

    /** The address of six octets, first on the wire first. */
    public static MacAddress of(byte[] octets) {
        if (octets.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 octets, not " + octets.length);
        }
        long v = 0;
        for (byte b : octets) {
            v = v << 8 | (b & 0xff);
        }
        return new MacAddress(v);
    }

    /**
     * Parses {@code 52:54:00:12:34:56}: six groups of exactly two hex digits separated by colons,
     * as iproute2 writes them.
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
            v = v << 8 | HexFormat.fromHexDigits(p);
        }
        return new MacAddress(v);
    }

    /**
     * The value of the address stored at {@code offset} of {@code memory}, first octet first (an
     * Ethernet frame's destination at 0, its source at 6; a MAC in a config space or a control
     * command). Allocates nothing, for receive paths.
     *
     * @throws IndexOutOfBoundsException if the six octets are not all inside {@code memory}
     */
    public static long read(MemorySegment memory, long offset) {
        return Integer.toUnsignedLong(memory.get(BE32, offset)) << 16 | memory.get(BE16, offset + 4) & 0xffff;
    }

    /** Whether the group bit of an address {@code value} is set: multicast or broadcast. */
    public static boolean isMulticast(long value) {
        return (value & GROUP_BIT) != 0;
    }

    /** The six octets, first on the wire first. */
    public byte[] octets() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    /** Whether the group bit (I/G, bit 0 of the first octet) is set: multicast or broadcast. */
    public boolean isMulticast() {
        return isMulticast(value);
    }

    /** {@code 52:54:00:12:34:56}. */
    @Override
    public String toString() {
        return HEX.formatHex(octets());
    }
}
