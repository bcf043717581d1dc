package bench.net;

import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.AllServiceListener;

/**
 * Counts registrations and unregistrations of the services a filter selects, with the time of the
 * latest of each. Felix delivers service events on the thread that registers or unregisters, so
 * the time taken here is the time of the registration itself, not of a poll that noticed it.
 *
 * <p>An {@link AllServiceListener}: the services' types live in the framework's bundles, and a
 * plain listener of the system bundle would be told only of services whose class it shares (in a
 * test, the bundles' classes are on the class path too, as other classes).
 */
final class ServiceWatch implements AllServiceListener, AutoCloseable {

    private final BundleContext context;
    private final String filter;
    private int registered;
    private int unregistered;
    private long lastRegistered;
    private long lastUnregistered;

    /** Watches {@code objectClass} services, further narrowed by {@code filter} if not null. */
    ServiceWatch(BundleContext context, String objectClass, String filter) {
        this.context = context;
        this.filter = filter == null ? "(objectClass=" + objectClass + ")"
                : "(&(objectClass=" + objectClass + ")" + filter + ")";
        try {
            context.addServiceListener(this, this.filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(this.filter, e);
        }
    }

    @Override
    public synchronized void serviceChanged(ServiceEvent event) {
        long now = System.nanoTime();
        switch (event.getType()) {
            case ServiceEvent.REGISTERED -> {
                registered++;
                lastRegistered = now;
            }
            case ServiceEvent.UNREGISTERING, ServiceEvent.MODIFIED_ENDMATCH -> {
                unregistered++;
                lastUnregistered = now;
            }
            default -> {
                return;
            }
        }
        notifyAll();
    }

    /** Forgets the counts (a new cycle). */
    synchronized void reset() {
        registered = 0;
        unregistered = 0;
    }

    synchronized int registered() {
        return registered;
    }

    /** Waits until {@code n} services were registered since the last reset; returns the time of the latest. */
    synchronized long awaitRegistered(int n, Duration within) throws InterruptedException {
        await(() -> registered >= n, within, n + " registrations");
        return lastRegistered;
    }

    /** Waits until {@code n} services were unregistered since the last reset; returns the time of the latest. */
    synchronized long awaitUnregistered(int n, Duration within) throws InterruptedException {
        await(() -> unregistered >= n, within, n + " unregistrations");
        return lastUnregistered;
    }

    private interface Condition {
        boolean holds();
    }

    private void await(Condition c, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!c.holds()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no " + what + " of " + filter + " within " + within + " (registered "
                        + registered + ", unregistered " + unregistered + ")");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() {
        context.removeServiceListener(this);
    }
}
