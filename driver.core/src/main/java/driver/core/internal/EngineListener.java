package driver.core.internal;

import driver.core.BusEventType;

/** Where an engine reports what happened. Called on the bus's thread. */
interface EngineListener {

    /** A bus event; {@code driver} and {@code reason} may be null. */
    void event(BusEventType type, String device, String driver, String reason);

    /** Nothing to report; the default for tests that only look at state. */
    EngineListener NONE = (type, device, driver, reason) -> {};

    /**
     * This listener, with what it throws logged and swallowed: a report that fails (Event Admin
     * stopping) must not stop the bus halfway through a binding.
     */
    static EngineListener guarded(String bus, EngineListener listener) {
        return (type, device, driver, reason) -> {
            try {
                listener.event(type, device, driver, reason);
            } catch (RuntimeException e) {
                System.getLogger(EngineListener.class.getName()).log(System.Logger.Level.ERROR,
                        "bus " + bus + ": reporting " + type + " of " + device + " failed", e);
            }
        };
    }
}
