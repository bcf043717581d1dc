package shell.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes of one named object in iproute2's output, in print order (its print_string,
 * print_uint... calls with PRINT_ANY: one call feeds both the text and the JSON). A {@code null}
 * value leaves the attribute out of both, as iproute2 skips an absent netlink attribute.
 *
 * <p>Text: {@code name:} then {@code " key value"} for each attribute {@link #put} on the line,
 * {@code "\n  key value"} for each {@link #line}; a collection prints as its elements separated
 * by spaces. JSON: an object of the same keys, a collection as an array.
 */
public final class Attributes {

    private enum Place { INLINE, OWN_LINE, NAME_VALUE }

    private record Entry(String key, Object value, Place place) {}

    private final String name;
    private final List<Entry> entries = new ArrayList<>();

    private Attributes(String name) {
        this.name = name;
    }

    /** The attributes of the object called {@code name}. */
    public static Attributes of(String name) {
        return new Attributes(name);
    }

    /** The object's name: the text's first word, the JSON's key. */
    public String name() {
        return name;
    }

    /** {@code key value} on the object's line. */
    public Attributes put(String key, Object value) {
        return add(key, value, Place.INLINE);
    }

    /** {@code key value} on a line of its own, indented under the object. */
    public Attributes line(String key, Object value) {
        return add(key, value, Place.OWN_LINE);
    }

    /**
     * Counters the way iproute2's {@code vstats} prints them, {@code name rx_frames value 10} for
     * each on the object's line; in JSON one object {@code "key":{"rx_frames":10}} (iproute2's
     * repeated {@code name}/{@code value} keys are not valid JSON).
     */
    public Attributes nameValues(String key, Map<String, ?> values) {
        return add(key, values == null ? null : new LinkedHashMap<>(values), Place.NAME_VALUE);
    }

    private Attributes add(String key, Object value, Place place) {
        if (value != null) {
            entries.add(new Entry(key, value, place));
        }
        return this;
    }

    /** The text, one line per {@link #line} attribute after the first, no final line break. */
    public String text() {
        StringBuilder sb = new StringBuilder(name).append(':');
        for (Entry e : entries) {
            switch (e.place()) {
                case INLINE -> sb.append(' ').append(e.key()).append(' ').append(words(e.value()));
                case OWN_LINE -> sb.append("\n  ").append(e.key()).append(' ').append(words(e.value()));
                case NAME_VALUE -> ((Map<?, ?>) e.value()).forEach((k, v) ->
                        sb.append(" name ").append(k).append(" value ").append(v));
            }
        }
        return sb.toString();
    }

    /** The JSON object's members, in order. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Entry e : entries) {
            m.put(e.key(), e.value());
        }
        return m;
    }

    private static String words(Object value) {
        if (value instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder();
            for (Object o : c) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(o);
            }
            return sb.toString();
        }
        return String.valueOf(value);
    }
}
