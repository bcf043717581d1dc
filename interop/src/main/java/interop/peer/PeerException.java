package interop.peer;

/** A peer that would not start, misbehaved, or printed something other than expected. */
public final class PeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PeerException(String message) {
        super(message);
    }

    public PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
