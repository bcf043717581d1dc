package pci.emul.internal;

import driver.core.BusException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pci.bus.PciDevice;
import vdpa.sim.internal.SimFixture;

/**
 * Emulated functions over a real simulator, without a framework, for this module's and drivers'
 * tests (the test-jar): each function is exactly what the provider puts on the bus.
 */
public final class EmulatedFunctions implements AutoCloseable {

    private final SimFixture sim = new SimFixture();
    private final List<EmulatedFunction> made = new ArrayList<>();

    /** A reset function at {@code slot} with {@code maxVqp} queue pairs on {@code link}. */
    public PciDevice function(String slot, int maxVqp, String link) throws BusException {
        return function(slot, null, maxVqp, link);
    }

    /** As {@link #function(String, int, String)} with a MAC address. */
    public PciDevice function(String slot, String mac, int maxVqp, String link) throws BusException {
        FunctionSpec spec = FunctionSpec.of(slot, mac, 1500, maxVqp, link);
        EmulatedFunction f = new EmulatedFunction(spec.slot(), sim.models().create(spec.model()));
        made.add(f);
        return f;
    }

    /** The simulator the functions' models live in: its vdpasim_net devices share their links. */
    public SimFixture sim() {
        return sim;
    }

    /** The largest queue the model behind a function made here takes, what its queue_size reads after reset. */
    public static int queueSizeMax(PciDevice f) {
        return ((EmulatedFunction) f).model().getVqNumMax();
    }

    /** The refused-access counters of a function made here, by name. */
    public static Map<String, Long> faults(PciDevice f) {
        return ((EmulatedFunction) f).faults().snapshot();
    }

    /** Closes a function (as a hot unplug does once the bus let go of it). */
    public void close(PciDevice f) {
        ((EmulatedFunction) f).close();
        made.remove(f);
    }

    @Override
    public void close() {
        for (EmulatedFunction f : made.reversed()) {
            f.close();
        }
        made.clear();
        sim.close();
    }
}
