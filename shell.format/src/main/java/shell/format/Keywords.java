package shell.format;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's {@code key value} words, the way iproute2 and the kernel's pktgen take them
 * ({@code dev add name vdpa0 mgmtdev vdpasim_net mtu 1500}): in any order, each key known and
 * given once, each with a value. Every refusal is an {@link IllegalArgumentException} of one line
 * naming the word at fault, thrown before the command changes anything.
 */
public final class Keywords {

    private final Map<String, String> given;

    private Keywords(Map<String, String> given) {
        this.given = given;
    }

    /**
     * Reads {@code words} as pairs of a key from {@code keys} and its value.
     *
     * @throws IllegalArgumentException an unknown key, a key without a value, a key given twice
     */
    public static Keywords parse(List<String> words, List<String> keys) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < words.size(); i += 2) {
            String key = words.get(i);
            if (!keys.contains(key)) {
                throw new IllegalArgumentException("unknown argument '" + key + "' (expected one of " + String.join(", ", keys) + ")");
            }
            if (i + 1 >= words.size()) {
                throw new IllegalArgumentException("'" + key + "' needs a value");
            }
            if (given.putIfAbsent(key, words.get(i + 1)) != null) {
                throw new IllegalArgumentException("'" + key + "' given twice");
            }
        }
        return new Keywords(given);
    }

    /** The value given for {@code key}, or {@code null}. */
    public String get(String key) {
        return given.get(key);
    }

    /**
     * The whole number given for {@code key}, within {@code min..max}; {@code absent} if not given.
     *
     * @throws IllegalArgumentException {@code invalid <key> '<value>': expected a whole number <min>..<max>}
     */
    public long decimal(String key, long min, long max, long absent) {
        String v = given.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.matches("[0-9]{1,18}") || Long.parseLong(v) < min || Long.parseLong(v) > max) {
            throw new IllegalArgumentException("invalid " + key + " '" + v + "': expected a whole number " + min + ".." + max);
        }
        return Long.parseLong(v);
    }
}
