package pci.bus.internal;

import driver.core.BindingState;
import driver.core.Driver;
import driver.core.internal.InMemoryBus;
import pci.bus.PciDevice;

/**
 * The real PCI bus (admission, ids, engine) without a framework, for providers' and drivers'
 * tests (this module's test-jar): what the bus component would publish, minus the services.
 */
public final class InMemoryPciBus extends PciBusAdapter {

    private final InMemoryBus<PciDevice> engine;

    public InMemoryPciBus() {
        this(new InMemoryBus<>(spec()));
    }

    private InMemoryPciBus(InMemoryBus<PciDevice> engine) {
        super(engine);
        this.engine = engine;
    }

    /** Adds a driver as its service would be, with this match rule; returns its handle for {@link #removeDriver}. */
    public Object addDriver(String name, String match, Driver<PciDevice> driver) throws Exception {
        return engine.addDriver(name, match, 0, driver);
    }

    /** The driver service went away: the bus removes it from its functions first. */
    public void removeDriver(Object handle) {
        engine.removeDriver(handle);
    }

    /** Waits (ten seconds at most) for a function to reach a binding state. */
    public void awaitState(String slot, BindingState state) throws InterruptedException {
        engine.awaitState(slot, state);
    }

    /** The properties the function's service would carry, or null once it left. */
    public java.util.Map<String, Object> published(String slot) {
        return engine.published(slot);
    }
}
