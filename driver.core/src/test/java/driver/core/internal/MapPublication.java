package driver.core.internal;

import java.util.Map;

/**
 * A device service kept in a map, for tests without a framework: the device's entry holds the
 * properties the bus last published for it, and goes when the bus withdraws the device.
 */
final class MapPublication implements BusEngine.Publication {
    private final String name;
    private final Map<String, Map<String, Object>> published;
    private final Runnable onWithdraw;

    /** Publishes {@code first} under {@code name}; {@code onWithdraw} runs after the entry is gone. */
    MapPublication(String name, Map<String, Object> first, Map<String, Map<String, Object>> published, Runnable onWithdraw) {
        this.name = name;
        this.published = published;
        this.onWithdraw = onWithdraw;
        published.put(name, first);
    }

    @Override
    public void update(Map<String, Object> properties) {
        published.put(name, properties);
    }

    @Override
    public void withdraw() {
        published.remove(name);
        onWithdraw.run();
    }
}
