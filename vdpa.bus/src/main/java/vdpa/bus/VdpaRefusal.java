package vdpa.bus;

import java.util.Objects;

/**
 * A device a management device was asked for by configuration and refused, kept while that
 * configuration stays as it is (the request has no caller to hand an error to): it goes when the
 * configuration is fixed or removed. {@code vdpa dev show} lists each as a {@code REFUSED} row.
 *
 * @param source where the request came from: the configuration's file, else its PID
 * @param reason why it was refused, one line naming the property at fault
 */
public record VdpaRefusal(String source, String reason) {

    /** Both parts are required. */
    public VdpaRefusal {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }
}
