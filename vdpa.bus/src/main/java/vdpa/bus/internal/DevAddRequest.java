package vdpa.bus.internal;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import shell.format.Keywords;
import virtio.net.api.MacAddress;
import vdpa.bus.VdpaDevAttrs;

/**
 * A parsed {@code vdpa dev add name <n> mgmtdev <m> [mac <mac>] [mtu <n>] [max_vqp <n>]
 * [device_features <hex>]}, words in any order as iproute2 takes them.
 *
 * @param mgmtdev the management device's name
 * @param attrs the device's attributes
 */
record DevAddRequest(String mgmtdev, VdpaDevAttrs attrs) {

    private static final List<String> KEYWORDS = List.of("name", "mgmtdev", "mac", "mtu", "max_vqp", "device_features");

    /**
     * Parses the words after {@code add}.
     *
     * @throws IllegalArgumentException one line naming the word or value at fault
     */
    static DevAddRequest parse(List<String> words) {
        Keywords given = Keywords.parse(words, KEYWORDS);
        String name = given.get("name");
        if (name == null) {
            throw new IllegalArgumentException("name is required: dev add name <name> mgmtdev <mgmtdev> ...");
        }
        String mgmtdev = given.get("mgmtdev");
        if (mgmtdev == null) {
            throw new IllegalArgumentException("mgmtdev is required: dev add name <name> mgmtdev <mgmtdev> ...");
        }
        Optional<MacAddress> mac = Optional.ofNullable(given.get("mac")).map(MacAddress::parse);
        OptionalInt mtu = decimal(given, "mtu");
        OptionalInt maxVqp = decimal(given, "max_vqp");
        OptionalLong features = hex(given, "device_features");
        return new DevAddRequest(mgmtdev, new VdpaDevAttrs(name, mac, mtu, maxVqp, features));
    }

    private static OptionalInt decimal(Keywords given, String key) {
        String v = given.get(key);
        if (v == null) {
            return OptionalInt.empty();
        }
        if (!v.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("invalid " + key + " '" + v + "': not a decimal number");
        }
        return OptionalInt.of(Integer.parseInt(v));
    }

    private static OptionalLong hex(Keywords given, String key) {
        String v = given.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        String digits = v.startsWith("0x") || v.startsWith("0X") ? v.substring(2) : v;
        if (!digits.matches("[0-9a-fA-F]{1,16}")) {
            throw new IllegalArgumentException("invalid " + key + " '" + v + "': not a 64-bit hex number");
        }
        return OptionalLong.of(Long.parseUnsignedLong(digits, 16));
    }
}
