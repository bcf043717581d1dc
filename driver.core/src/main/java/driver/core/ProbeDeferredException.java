package driver.core;

/**
 * Thrown by {@link Driver#probe} when something the driver needs is not there yet. The bus keeps
 * the device in {@link BindingState#DEFERRED} and probes it again whenever a driver or a service
 * arrives, like the kernel's -EPROBE_DEFER.
 */
public class ProbeDeferredException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason what the driver is waiting for; shown in the device's listing */
    public ProbeDeferredException(String reason) {
        super(reason);
    }
}
