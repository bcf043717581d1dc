package shell.format.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The JSON writer behind every listing: Gson, writing records as objects keyed by their component
 * names, maps as objects, collections as arrays, enums by name, {@code null} members as
 * {@code null} (a missing key would make a schema depend on the data). HTML escaping is off: a
 * match rule's {@code =} stays {@code =}.
 */
public final class JsonText {
    private JsonText() {}

    // Gson is immutable and thread-safe once built
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /** The JSON text of {@code value}, on one line. */
    public static String write(Object value) {
        return GSON.toJson(value);
    }
}
