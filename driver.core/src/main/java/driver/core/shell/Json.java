package driver.core.shell;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;

/**
 * Writes records, maps, collections, arrays, strings, numbers and booleans as JSON. Records become
 * objects keyed by their component names; anything else is written as its string.
 */
public final class Json {
    private Json() {}

    /** The JSON text of {@code value}. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b);
            case Double d when d.isNaN() || d.isInfinite() -> string(sb, d.toString());
            case Float f when f.isNaN() || f.isInfinite() -> string(sb, f.toString());
            case Number n -> sb.append(n);
            case CharSequence s -> string(sb, s.toString());
            case Enum<?> e -> string(sb, e.name());
            case Record r -> record(sb, r);
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case Collection<?> c -> array(sb, c.toArray());
            case Object[] a -> array(sb, a);
            case long[] a -> array(sb, java.util.Arrays.stream(a).boxed().toArray());
            case int[] a -> array(sb, java.util.Arrays.stream(a).boxed().toArray());
            default -> string(sb, v.toString());
        }
    }

    private static void record(StringBuilder sb, Record r) {
        sb.append('{');
        RecordComponent[] parts = r.getClass().getRecordComponents();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            string(sb, parts[i].getName());
            sb.append(':');
            try {
                parts[i].getAccessor().setAccessible(true);
                write(sb, parts[i].getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + parts[i].getName() + " of " + r.getClass().getName(), e);
            }
        }
        sb.append('}');
    }

    private static void array(StringBuilder sb, Object[] a) {
        sb.append('[');
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            write(sb, a[i]);
        }
        sb.append(']');
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
