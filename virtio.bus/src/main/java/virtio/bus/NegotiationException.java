package virtio.bus;

/**
 * The bus could not bring a device to FEATURES_OK for a driver, or a device broke the protocol
 * during probe. The message says which step failed and why; the device was left with FAILED set.
 */
public class NegotiationException extends Exception {
    private static final long serialVersionUID = 1L;

    public NegotiationException(String message) {
        super(message);
    }
}
