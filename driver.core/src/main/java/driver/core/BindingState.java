package driver.core;

/** Where a device stands with its driver. Every transition is made by the bus's engine. */
public enum BindingState {
    /** No driver; the device is waiting for a matching driver (or was unbound by hand). */
    UNBOUND,
    /** A driver's probe is running. */
    PROBING,
    /** A driver's probe succeeded and its remove has not been called. */
    BOUND,
    /** A probe asked to be retried when something it needs arrives. */
    DEFERRED,
    /** A driver's remove is running. */
    REMOVING
}
