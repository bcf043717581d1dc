package shell.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Records as iproute2's {@code vdpa} prints them: each is a named object of {@link Attributes},
 * written as text {@code vdpa0: type network max_vqs 5} (attributes on lines of their own
 * indented under it) and as JSON {@code {"dev":{"vdpa0":{"type":"network","max_vqs":5}}}}, one
 * section holding every object by name.
 *
 * @param <R> the record type
 */
public final class Iproute2<R> implements Layout<R> {

    private final String section;
    private final Function<? super R, Attributes> attributes;

    private Iproute2(String section, Function<? super R, Attributes> attributes) {
        this.section = section;
        this.attributes = attributes;
    }

    /**
     * @param section the JSON object holding every record's object ({@code dev}, {@code mgmtdev}, ...)
     * @param attributes a record's name and attributes
     */
    public static <R> Iproute2<R> objects(String section, Function<? super R, Attributes> attributes) {
        return new Iproute2<>(section, attributes);
    }

    @Override
    public String text(List<? extends R> records) {
        StringBuilder sb = new StringBuilder();
        for (R r : records) {
            sb.append(attributes.apply(r).text()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public Object json(List<? extends R> records) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (R r : records) {
            Attributes a = attributes.apply(r);
            all.put(a.name(), a.json());
        }
        return Map.of(section, all);
    }
}
