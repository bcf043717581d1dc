package interop.peer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line the guest's /init printed for the host: {@code busbar: <what> key=value ...}
 * (see interop/guest/init for the lines it prints).
 */
public record GuestEvent(String what, Map<String, String> values) {

    private static final Pattern LINE = Pattern.compile("busbar: (\\w+)((?: +[^ =]+=[^ ]*)*) *$");
    private static final Pattern PAIR = Pattern.compile("([^ =]+)=([^ ]*)");

    /** The event on {@code line}, if it is one. */
    public static Optional<GuestEvent> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        Matcher pair = PAIR.matcher(m.group(2));
        while (pair.find()) {
            values.put(pair.group(1), pair.group(2));
        }
        return Optional.of(new GuestEvent(m.group(1), Map.copyOf(values)));
    }

    public String value(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new PeerException("the guest's '" + what + "' line has no " + key + ": " + values);
        }
        return value;
    }

    public long number(String key) {
        String value = value(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new PeerException("the guest's '" + what + "' line has " + key + "=" + value + ", not a number", e);
        }
    }
}
