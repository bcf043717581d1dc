package driver.core.internal;

import driver.core.BusEventType;

/** Where an engine reports what happened. Called on the bus's thread. */
interface EngineListener {

    /** A bus event; {@code driver} and {@code reason} may be null. */
    void event(BusEventType type, String device, String driver, String reason);

    /** Nothing to report; the default for tests that only look at state. */
    EngineListener NONE = (type, device, driver, reason) -> {};
}
