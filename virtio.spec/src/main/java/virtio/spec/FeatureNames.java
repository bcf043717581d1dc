package virtio.spec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * The spec name of a feature bit, for listings ({@code VIRTIO_F_VERSION_1},
 * {@code VIRTIO_NET_F_MAC}). Read once from the constants of {@link VirtioFeatures} and the device
 * types' classes, so a name and its bit cannot disagree and no second table exists.
 */
public final class FeatureNames {
    private FeatureNames() {}

    private static final Map<Integer, String> TRANSPORT = read(VirtioFeatures.class, "VIRTIO_F_");
    private static final Map<Integer, Map<Integer, String>> DEVICE = Map.of(
            VirtioIds.VIRTIO_ID_NET, read(VirtioNet.class, "VIRTIO_NET_F_"));

    /**
     * The name of {@code bit} for a device of type {@code deviceId}: a device-independent bit's
     * (section 6) for any device, a device-type bit's for that type, else null.
     */
    public static String of(int deviceId, int bit) {
        String n = TRANSPORT.get(bit);
        if (n == null) {
            n = DEVICE.getOrDefault(deviceId, Map.of()).get(bit);
        }
        return n;
    }

    private static Map<Integer, String> read(Class<?> type, String prefix) {
        Map<Integer, String> names = new HashMap<>();
        for (Field f : type.getFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && f.getType() == int.class && f.getName().startsWith(prefix)) {
                try {
                    names.put(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e); // public static fields: cannot happen
                }
            }
        }
        return Map.copyOf(names);
    }
}
