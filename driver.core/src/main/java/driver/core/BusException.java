package driver.core;

/** A bus operation was refused; the message names what was wrong. Nothing was changed. */
public class BusException extends Exception {
    private static final long serialVersionUID = 1L;

    public BusException(String message) {
        super(message);
    }
}
