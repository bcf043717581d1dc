package virtio.bus;

import driver.core.DeviceContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import virtio.spec.DeviceStatus;

/**
 * The base of every virtio class driver. The bus's sequence is final here; a driver fills in
 * {@link #features()}, {@link #probeNegotiated} and {@link #removeNegotiated}, and may override
 * {@link #validate}, {@link #configChanged} and {@link #needsReset}.
 *
 * <p>Probe: reset ({@link VirtioNegotiation#reset}), then the bus's config handler is installed
 * (held back until probe is done); ACKNOWLEDGE, DRIVER, feature negotiation, FEATURES_OK and its
 * re-read ({@link VirtioNegotiation#negotiate}); then {@link #probeNegotiated}, which reads config and sets
 * up queues; then DRIVER_OK unless the driver set it; then config-change delivery starts (changes
 * that arrived during probe are delivered once, like the kernel's config_change_pending). Any
 * failure sets FAILED, tears down queues and rethrows, so the bus tries the next driver; a failure
 * after {@link #probeNegotiated} returned first runs {@link #removeNegotiated}.
 *
 * <p>Remove: config-change delivery stops (a change being delivered is waited for; none reaches the
 * driver afterwards), {@link #removeNegotiated} runs, then the bus resets the device if the driver
 * did not, deletes its queues and sets ACKNOWLEDGE again.
 */
public abstract non-sealed class AbstractVirtioDriver implements VirtioDriver {

    private final Map<VirtioDevice, ConfigGate> gates = new ConcurrentHashMap<>();

    @Override
    public final void probe(VirtioDevice device, DeviceContext context) throws Exception {
        ConfigGate gate = new ConfigGate(device);
        gates.put(device, gate);
        boolean probed = false;
        try {
            // reset first: it ends every callback, so the handler goes in after it, not before
            VirtioNegotiation.reset(device);
            device.setConfigChangeHandler(gate::changed);
            VirtioNegotiation.negotiate(device, features(), f -> validate(device, f));
            probeNegotiated(device, context);
            probed = true;
            VirtioNegotiation.ready(device);
            gate.enable();
        } catch (Exception | Error e) {
            gate.close();
            if (probed) {
                // the driver's probe went through and published what it offers: a failure after it
                // (DRIVER_OK refused, a config change delivered at enable throwing) must withdraw
                // that as remove would, for the bus never calls remove after a failed probe
                try {
                    removeNegotiated(device, context);
                } catch (RuntimeException | Error suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            // deferral included: the next attempt starts from a reset anyway
            abandon(device);
            throw e;
        }
    }

    @Override
    public final void remove(VirtioDevice device, DeviceContext context) {
        ConfigGate gate = gates.remove(device);
        if (gate != null) {
            gate.close(); // waits for a change being delivered; none reaches the driver afterwards
        }
        device.setConfigChangeHandler(null);
        try {
            removeNegotiated(device, context);
        } finally {
            VirtioNegotiation.release(device);
        }
    }

    /**
     * The driver's probe, called with the device at FEATURES_OK and the features negotiated
     * ({@link VirtioDevice#driverFeatures()}): read config, set up queues, publish what the driver
     * offers. May set DRIVER_OK itself (e.g. to use queues before returning); otherwise the bus sets
     * it after this returns. Throwing fails the probe; the bus cleans up the device.
     */
    protected abstract void probeNegotiated(VirtioDevice device, DeviceContext context) throws Exception;

    /**
     * The driver's remove: withdraw what probe published and stop using the queues. The bus resets
     * the device and deletes its queues afterwards; a driver that needs the device quiet earlier
     * (before freeing buffers) resets it itself.
     */
    protected abstract void removeNegotiated(VirtioDevice device, DeviceContext context);

    /**
     * The driver's last word on the features (the kernel's drv->validate): called with the features
     * the transport accepted, returns them with any bits cleared the driver cannot use on this
     * device (e.g. after reading config). May only clear bits. The default keeps them all.
     */
    protected long validate(VirtioDevice device, long features) {
        return features;
    }

    /**
     * The device changed its config space (the kernel's config_changed). Called on the transport's
     * notification thread, only while the device is bound, one call at a time, and never once remove
     * has started: remove waits for a call in progress, so this must not wait for the driver's own
     * remove (hand slow work to a thread of the driver's). The default ignores it.
     */
    protected void configChanged(VirtioDevice device) {}

    /**
     * The device set DEVICE_NEEDS_RESET: it hit an error it cannot recover from and must be reset
     * and set up again before it works (spec 2.1.2). Called instead of {@link #configChanged}. The
     * default does nothing, which leaves the device unusable until unbound or rebound; a driver that
     * can recover resets and re-initializes it from its own worker.
     */
    protected void needsReset(VirtioDevice device) {}

    private void abandon(VirtioDevice device) {
        gates.remove(device);
        device.setConfigChangeHandler(null);
        VirtioNegotiation.fail(device);
        try {
            device.deleteQueues();
        } catch (RuntimeException ignored) {
            // the probe's own failure is the reason worth reporting
        }
    }

    /**
     * Holds back config changes until probe is done, then delivers at most one that was missed;
     * once closed, delivers nothing. Delivery runs under the gate's own lock, so closing waits for
     * a change being delivered (the kernel's config_lock around config_changed, taken again by
     * virtio_config_driver_disable): after {@link #close} returns no callback is running and none
     * will start. The lock is the gate's alone; a driver's callback must not wait for its remove.
     */
    private final class ConfigGate {
        private final VirtioDevice device;
        private final ReentrantLock lock = new ReentrantLock();
        private boolean enabled; // guarded by lock
        private boolean pending; // guarded by lock
        private boolean closed; // guarded by lock

        ConfigGate(VirtioDevice device) {
            this.device = device;
        }

        /** The transport's config interrupt; may run on any thread, at any time. */
        void changed() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                if (!enabled) {
                    pending = true;
                    return;
                }
                dispatch();
            } finally {
                lock.unlock();
            }
        }

        /** Probe is done: deliver from now on, starting with a change that arrived during probe. */
        void enable() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                enabled = true;
                if (pending) {
                    pending = false;
                    dispatch();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Remove or a failed probe: returns once no delivery runs; none starts afterwards. */
        void close() {
            lock.lock();
            try {
                closed = true;
                pending = false;
            } finally {
                lock.unlock();
            }
        }

        private void dispatch() {
            if (DeviceStatus.DEVICE_NEEDS_RESET.in(device.getStatus())) {
                needsReset(device);
            } else {
                configChanged(device);
            }
        }
    }
}
