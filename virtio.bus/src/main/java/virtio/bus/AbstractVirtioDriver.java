package virtio.bus;

import driver.core.DeviceContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base of every virtio class driver. The bus's sequence is final here; a driver fills in
 * {@link #features()}, {@link #probeNegotiated} and {@link #removeNegotiated}, and may override
 * {@link #validate}, {@link #configChanged} and {@link #needsReset}.
 *
 * <p>Probe: reset, ACKNOWLEDGE, DRIVER, feature negotiation, FEATURES_OK and its re-read
 * ({@link VirtioNegotiation#negotiate}); then {@link #probeNegotiated}, which reads config and sets
 * up queues; then DRIVER_OK unless the driver set it; then config-change delivery starts (changes
 * that arrived during probe are delivered once, like the kernel's config_change_pending). Any
 * failure sets FAILED, tears down queues and rethrows, so the bus tries the next driver; a failure
 * after {@link #probeNegotiated} returned first runs {@link #removeNegotiated}.
 *
 * <p>Remove: config-change delivery stops, {@link #removeNegotiated} runs, then the bus resets the
 * device if the driver did not, deletes its queues and sets ACKNOWLEDGE again.
 */
public abstract non-sealed class AbstractVirtioDriver implements VirtioDriver {

    private final Map<VirtioDevice, ConfigGate> gates = new ConcurrentHashMap<>();

    @Override
    public final void probe(VirtioDevice device, DeviceContext context) throws Exception {
        ConfigGate gate = new ConfigGate(device);
        gates.put(device, gate);
        device.setConfigChangeHandler(gate::changed);
        boolean probed = false;
        try {
            VirtioNegotiation.negotiate(device, features(), f -> validate(device, f));
            probeNegotiated(device, context);
            probed = true;
            VirtioNegotiation.ready(device);
            gate.enable();
        } catch (Exception | Error e) {
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
        device.setConfigChangeHandler(null);
        gates.remove(device);
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
     * notification thread, only while the device is bound. The default ignores it.
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
        device.setConfigChangeHandler(null);
        gates.remove(device);
        VirtioNegotiation.fail(device);
        try {
            device.deleteQueues();
        } catch (RuntimeException ignored) {
            // the probe's own failure is the reason worth reporting
        }
    }

    /** Holds back config changes until probe is done, then delivers at most one that was missed. */
    private final class ConfigGate {
        private final VirtioDevice device;
        private boolean enabled;
        private boolean pending;

        ConfigGate(VirtioDevice device) {
            this.device = device;
        }

        void changed() {
            synchronized (this) {
                if (!enabled) {
                    pending = true;
                    return;
                }
            }
            dispatch();
        }

        void enable() {
            boolean deliver;
            synchronized (this) {
                enabled = true;
                deliver = pending;
                pending = false;
            }
            if (deliver) {
                dispatch();
            }
        }

        private void dispatch() {
            if (gates.get(device) != this) {
                return; // removed meanwhile
            }
            if (DeviceStatus.DEVICE_NEEDS_RESET.in(device.getStatus())) {
                needsReset(device);
            } else {
                configChanged(device);
            }
        }
    }
}
