package virtio.bus;

import java.util.function.LongUnaryOperator;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;

/**
 * The bus's side of device initialization (virtio spec 3.1.1; the kernel's register_virtio_device,
 * virtio_dev_probe and virtio_features_ok), one step per method so each can be tested against a
 * device that behaves like one. {@link AbstractVirtioDriver} runs them in order; nothing else should.
 */
public final class VirtioNegotiation {
    private VirtioNegotiation() {}

    /**
     * The transport bits that shape the driver's own virtqueues, so its feature table decides them
     * like device-type bits: indirect descriptors, event indices, the packed layout, in-order use
     * and per-queue reset. A driver that leaves VIRTIO_F_RING_PACKED out of its table gets split
     * rings.
     *
     * <p>Every other transport bit describes the device, the platform or the transport rather than
     * how the driver uses its queues, and is kept whenever the device offers it, whatever the
     * table, as the kernel's virtio_dev_probe keeps every transport bit: VIRTIO_F_VERSION_1 (a
     * driver MUST accept it, spec 6.1), VIRTIO_F_ACCESS_PLATFORM and VIRTIO_F_ORDER_PLATFORM (it
     * SHOULD; the device may refuse to work otherwise), and what only the transport acts on
     * (SR_IOV, NOTIFICATION_DATA, NOTIF_CONFIG_DATA, ADMIN_VQ). The transport then drops what it
     * and its ring cannot do ({@link VirtioDevice#finalizeFeatures}), as the kernel's
     * vring_transport_features does.
     */
    public static final long QUEUE_FEATURES = VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_INDIRECT_DESC,
            VirtioFeatures.VIRTIO_F_EVENT_IDX, VirtioFeatures.VIRTIO_F_RING_PACKED, VirtioFeatures.VIRTIO_F_IN_ORDER,
            VirtioFeatures.VIRTIO_F_RING_RESET);

    /** The transport bits kept whenever offered: every transport bit but {@link #QUEUE_FEATURES}. */
    private static final long ALWAYS_KEPT = VirtioFeatures.VIRTIO_TRANSPORT_F_MASK & ~QUEUE_FEATURES;

    /**
     * Resets the device (the kernel's virtio_reset_device at the start of virtio_dev_probe): when
     * this returns the status reads 0 and no callback of an earlier binding runs any more, so what
     * the probe installs afterwards (its config handler) is the only thing the device calls.
     *
     * @throws NegotiationException the status does not read 0 after the reset
     */
    public static void reset(VirtioDevice device) throws NegotiationException {
        device.reset();
        int status = device.getStatus();
        if (status != 0) {
            throw new NegotiationException("device did not reset: status " + DeviceStatus.describe(status));
        }
    }

    /**
     * Walks a device just {@linkplain #reset reset} to FEATURES_OK for a driver with this feature
     * table.
     *
     * <ol>
     *   <li>the status must read 0 (the caller reset the device);</li>
     *   <li>ACKNOWLEDGE, then DRIVER;</li>
     *   <li>the device must offer VIRTIO_F_VERSION_1 (legacy devices are not supported);</li>
     *   <li>features = device &amp; (driver table | transport bits but {@link #QUEUE_FEATURES});</li>
     *   <li>the transport finalizes them (it may drop ring features it cannot do); then the driver's
     *       {@code validate} may clear bits, and if it did they are written again;</li>
     *   <li>VERSION_1 must survive; FEATURES_OK is set and the status re-read: the device refuses
     *       the features by leaving FEATURES_OK clear.</li>
     * </ol>
     *
     * @param validate the driver's last word on the features (the kernel's drv->validate); may only clear bits
     * @return the negotiated features, as the device holds them
     * @throws NegotiationException naming the failed step; the caller sets FAILED
     */
    public static long negotiate(VirtioDevice device, long driverTable, LongUnaryOperator validate)
            throws NegotiationException {
        int status = device.getStatus();
        if (status != 0) {
            throw new NegotiationException("device was not reset before negotiation: status " + DeviceStatus.describe(status));
        }
        add(device, DeviceStatus.ACKNOWLEDGE);
        add(device, DeviceStatus.DRIVER);

        long offered = device.deviceFeatures();
        if (!VirtioFeatures.has(offered, VirtioFeatures.VIRTIO_F_VERSION_1)) {
            throw new NegotiationException("device does not offer VIRTIO_F_VERSION_1 (features 0x"
                    + Long.toHexString(offered) + "); legacy devices are not supported");
        }
        long wanted = offered & (driverTable | ALWAYS_KEPT);
        long written = finalizeChecked(device, wanted);
        long validated = validate.applyAsLong(written);
        if ((validated & ~written) != 0) {
            throw new NegotiationException("driver validate added features 0x" + Long.toHexString(validated & ~written)
                    + "; it may only clear bits");
        }
        if (validated != written) {
            written = finalizeChecked(device, validated);
        }
        if (!VirtioFeatures.has(written, VirtioFeatures.VIRTIO_F_VERSION_1)) {
            throw new NegotiationException("VIRTIO_F_VERSION_1 was dropped during negotiation (features 0x"
                    + Long.toHexString(written) + ")");
        }
        add(device, DeviceStatus.FEATURES_OK);
        status = device.getStatus();
        if (!DeviceStatus.FEATURES_OK.in(status)) {
            throw new NegotiationException("device refuses features 0x" + Long.toHexString(written)
                    + ": FEATURES_OK did not stick (status " + DeviceStatus.describe(status) + ")");
        }
        if (DeviceStatus.DEVICE_NEEDS_RESET.in(status)) {
            throw new NegotiationException("device needs reset after FEATURES_OK (status " + DeviceStatus.describe(status) + ")");
        }
        return written;
    }

    /**
     * Sets DRIVER_OK unless the driver did it already (the kernel's virtio_device_ready after
     * probe). Checks the device still has FEATURES_OK and did not ask for a reset.
     */
    public static void ready(VirtioDevice device) throws NegotiationException {
        int status = device.getStatus();
        if (DeviceStatus.DRIVER_OK.in(status)) {
            return;
        }
        if (DeviceStatus.DEVICE_NEEDS_RESET.in(status) || !DeviceStatus.FEATURES_OK.in(status)) {
            throw new NegotiationException("device not ready for DRIVER_OK: status " + DeviceStatus.describe(status));
        }
        add(device, DeviceStatus.DRIVER_OK);
    }

    /**
     * Marks the device FAILED after a failed step or probe (spec 3.1.1: "if any of these steps go
     * irrecoverably wrong, the driver SHOULD set the FAILED status bit"). Never throws: it runs on
     * the failure path and must not hide the original reason.
     */
    public static void fail(VirtioDevice device) {
        try {
            int status = device.getStatus();
            device.setStatus(DriverStatusRules.advance(status, DeviceStatus.FAILED));
        } catch (RuntimeException ignored) {
            // a device that cannot even take FAILED is reset by the next probe
        }
    }

    /**
     * Quiesces a device after its driver let go (the kernel's virtio_dev_remove): reset if the
     * driver did not, tear down queues, then ACKNOWLEDGE again so the device looks found-but-free.
     */
    public static void release(VirtioDevice device) {
        if (device.getStatus() != 0) {
            device.reset();
        }
        device.deleteQueues();
        device.setStatus(DeviceStatus.ACKNOWLEDGE.value());
    }

    private static long finalizeChecked(VirtioDevice device, long features) throws NegotiationException {
        long written = device.finalizeFeatures(features);
        if ((written & ~features) != 0) {
            throw new NegotiationException("transport added features 0x" + Long.toHexString(written & ~features)
                    + " the driver did not accept");
        }
        return written;
    }

    private static void add(VirtioDevice device, DeviceStatus step) throws NegotiationException {
        int status = device.getStatus();
        int next;
        try {
            next = DriverStatusRules.advance(status, step);
        } catch (IllegalStateException e) {
            throw new NegotiationException("cannot set " + step + ": " + e.getMessage());
        }
        device.setStatus(next);
    }
}
