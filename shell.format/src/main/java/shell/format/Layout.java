package shell.format;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * How a command's records read: their text, and the value their JSON is written from.
 *
 * @param <R> the record type
 */
@ConsumerType
public interface Layout<R> {

    /** The text of these records; lines end with {@code '\n'} (a last one may be left off). */
    String text(List<? extends R> records);

    /**
     * The value the JSON document is written from: by default the records themselves, an array of
     * objects keyed by the records' component names.
     */
    default Object json(List<? extends R> records) {
        return records;
    }
}
