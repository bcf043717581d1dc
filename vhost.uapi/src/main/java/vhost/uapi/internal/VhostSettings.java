package vhost.uapi.internal;

import java.nio.file.Path;
import java.util.Map;
import vhost.uapi.VhostUapi;
import vhost.uapi.internal.endpoint.EndpointConfig;

/**
 * The configuration of PID {@value VhostUapi#PID}, read into one endpoint configuration per
 * device. Unknown or malformed values are refused with the property's name.
 */
record VhostSettings(Map<String, Object> properties, Path runtimeDir) {

    EndpointConfig forDevice(String device) {
        Path dir = Path.of(string(VhostUapi.PROP_SOCKET_DIR, runtimeDir.resolve("vhost").toString()));
        Path socket = Path.of(string(device + VhostUapi.SUFFIX_SOCKET, dir.resolve(device + ".sock").toString()));
        String mode = string(device + VhostUapi.SUFFIX_MODE, string(VhostUapi.PROP_MODE, VhostUapi.MODE_SERVER));
        if (!mode.equals(VhostUapi.MODE_SERVER) && !mode.equals(VhostUapi.MODE_CLIENT)) {
            throw new IllegalArgumentException(VhostUapi.PID + ": mode '" + mode + "' is neither server nor client");
        }
        long max;
        try {
            max = Long.parseLong(string(VhostUapi.PROP_RECONNECT_MAX_MS, "5000"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(VhostUapi.PID + ": " + VhostUapi.PROP_RECONNECT_MAX_MS + " is not a number");
        }
        return new EndpointConfig(socket, mode.equals(VhostUapi.MODE_CLIENT), Math.min(100, Math.max(1, max)), Math.max(1, max));
    }

    private String string(String key, String dflt) {
        Object v = properties.get(key);
        return v == null || v.toString().isBlank() ? dflt : v.toString().strip();
    }

    /** The default runtime folder (see {@link VhostUapi#RUNTIME_DIR_PROPERTY}). */
    static Path defaultRuntimeDir(String property) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "busbar");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "busbar-" + System.getProperty("user.name"));
    }
}
