package vhost.uapi.internal.proto;

/** A front-end broke the protocol: the reason from the closed set, and what exactly. */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ProtocolError reason;

    public ProtocolException(ProtocolError reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public ProtocolError reason() {
        return reason;
    }
}
