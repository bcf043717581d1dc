package driver.core;

import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The checks every component shares that makes a device from a Configuration Admin configuration
 * (a {@code .cfg} file in the runtime's deploy folder). A configuration is input from whoever wrote
 * the file and is checked as hostile; a refusal names the property at fault, in one line.
 */
public final class ConfigurationInput {
    private ConfigurationInput() {}

    /** File Install's property naming the file a configuration came from. */
    public static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    /**
     * Refuses a property that is neither one of {@code known} nor namespaced (a '.' in its key, as
     * {@code service.pid} and File Install's own are).
     *
     * @throws BusException naming the property and the known ones
     */
    public static void knownProperties(Map<String, Object> properties, List<String> known) throws BusException {
        for (String key : properties.keySet()) {
            if (key.indexOf('.') < 0 && !known.contains(key)) {
                throw new BusException("unknown property '" + key + "' (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /**
     * A whole-number property as DS converts it when the component reads it (it throws if it cannot).
     *
     * @throws BusException naming the property and its value
     */
    public static int number(IntSupplier value, String key, Map<String, Object> properties) throws BusException {
        try {
            return value.getAsInt();
        } catch (RuntimeException notANumber) {
            throw new BusException("invalid " + key + " '" + properties.get(key) + "': not a whole number");
        }
    }

    /** Where a configuration came from: its file (File Install gives a file: URL), else its PID. */
    public static String source(Map<String, Object> properties) {
        Object f = properties.get(FILEINSTALL_FILENAME);
        if (f == null) {
            return "configuration " + properties.get("service.pid");
        }
        String s = f.toString();
        if (s.startsWith("file:")) {
            try {
                return Path.of(URI.create(s)).toString();
            } catch (IllegalArgumentException | FileSystemNotFoundException notAPath) {
                return s;
            }
        }
        return s;
    }
}
