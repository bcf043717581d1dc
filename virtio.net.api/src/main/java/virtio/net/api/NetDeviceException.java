package virtio.net.api;

/** A control operation on a {@link NetDevice} did not take effect; {@link #reason()} says why. */
public class NetDeviceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a control operation failed. */
    public enum Reason {
        /** The feature the operation needs was not negotiated (e.g. no VIRTIO_NET_F_CTRL_RX). */
        UNSUPPORTED,
        /** The device answered VIRTIO_NET_ERR. */
        REFUSED,
        /** The device did not answer within the driver's bound; the control queue stays busy until it does. */
        TIMEOUT,
        /** The argument is out of range (e.g. more queue pairs than the device has). */
        INVALID,
        /** The device is gone or its control queue is broken. */
        DOWN
    }

    private final Reason reason;

    /** An exception for {@code reason} with a message naming the operation. */
    public NetDeviceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the operation failed. */
    public Reason reason() {
        return reason;
    }
}
