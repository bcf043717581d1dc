package shell.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import shell.format.internal.JsonText;

/**
 * What a shell command returns: its records, their {@link Layout}, and whether the user asked for
 * JSON. Immutable. Gogo prints it through this bundle's Converter ({@link #render()}); scripts can
 * take {@link #records()}.
 *
 * <p>Every command takes the JSON option the same way:
 * <pre>
 * public Listing&lt;Row&gt; list(@Descriptor(Listing.JSON_HELP)
 *         &#64;Parameter(names = {Listing.JSON_OPTION, Listing.JSON_OPTION_LONG}, absentValue = "false", presentValue = "true")
 *         boolean json) {
 *     return Listing.of(rows(), LAYOUT).asJson(json);
 * }
 * </pre>
 *
 * @param <R> the record type
 */
public final class Listing<R> {

    /** The option that asks for JSON, as iproute2 spells it. */
    public static final String JSON_OPTION = "-j";
    /** Its long form. */
    public static final String JSON_OPTION_LONG = "--json";
    /** Its help text. */
    public static final String JSON_HELP = "print JSON";

    private final List<R> records;
    private final Layout<? super R> layout;
    private final boolean json;

    private Listing(List<R> records, Layout<? super R> layout, boolean json) {
        this.records = records;
        this.layout = layout;
        this.json = json;
    }

    /** These records (copied), shown as text in this layout. */
    public static <R> Listing<R> of(List<? extends R> records, Layout<? super R> layout) {
        return new Listing<>(List.copyOf(records), Objects.requireNonNull(layout, "layout"), false);
    }

    /** The same records, shown as JSON if {@code json}, else as text. */
    public Listing<R> asJson(boolean json) {
        return json == this.json ? this : new Listing<>(records, layout, json);
    }

    /**
     * The records, in order: a fresh {@link ArrayList} each call, a public class whose methods a
     * Gogo script can call ({@code ($(bus:devices) records) size}), as it cannot on the JDK's
     * immutable lists.
     */
    public List<R> records() {
        return new ArrayList<>(records);
    }

    /** Whether {@link #render()} writes JSON. */
    public boolean isJson() {
        return json;
    }

    /** The text, without a final line break (the shell adds one). */
    public String toText() {
        String t = layout.text(records);
        return t.endsWith("\n") ? t.substring(0, t.length() - 1) : t;
    }

    /** The JSON document, on one line. */
    public String toJson() {
        return JsonText.write(layout.json(records));
    }

    /** What the shell prints: {@link #toJson()} if asked for, else {@link #toText()}. */
    public String render() {
        return json ? toJson() : toText();
    }

    /** {@link #render()}. */
    @Override
    public String toString() {
        return render();
    }
}
