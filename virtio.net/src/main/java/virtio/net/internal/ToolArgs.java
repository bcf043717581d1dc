package virtio.net.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import virtio.net.api.MacAddress;

/**
 * The {@code key value} words after a {@code net:pktgen} or {@code net:monitor} device, as the
 * kernel's pktgen and iproute2 take them: in any order, each once, each known. Every refusal is an
 * {@link IllegalArgumentException} of one line naming the word or value at fault.
 */
final class ToolArgs {
    private final Map<String, String> given = new HashMap<>();

    private ToolArgs() {}

    static ToolArgs parse(List<String> words, List<String> keys) {
        ToolArgs a = new ToolArgs();
        for (int i = 0; i < words.size(); i += 2) {
            String key = words.get(i);
            if (!keys.contains(key)) {
                throw new IllegalArgumentException("unknown argument '" + key + "' (expected one of " + String.join(", ", keys) + ")");
            }
            if (i + 1 >= words.size()) {
                throw new IllegalArgumentException("'" + key + "' needs a value");
            }
            if (a.given.putIfAbsent(key, words.get(i + 1)) != null) {
                throw new IllegalArgumentException("'" + key + "' given twice");
            }
        }
        return a;
    }

    /** The decimal value of {@code key} within {@code min..max}, or {@code absent}. */
    long decimal(String key, long min, long max, long absent) {
        String v = given.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.matches("[0-9]{1,18}") || Long.parseLong(v) < min || Long.parseLong(v) > max) {
            throw new IllegalArgumentException("invalid " + key + " '" + v + "': expected a whole number " + min + ".." + max);
        }
        return Long.parseLong(v);
    }

    /** The MAC address of {@code key}, or {@code absent}. */
    MacAddress mac(String key, MacAddress absent) {
        String v = given.get(key);
        return v == null ? absent : MacAddress.parse(v);
    }
}
