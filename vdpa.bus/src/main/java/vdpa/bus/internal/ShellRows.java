package vdpa.bus.internal;

import java.util.List;

/** What the vdpa shell commands show, as data; {@link ShellFormat} turns it into text or JSON. */
final class ShellRows {
    private ShellRows() {}

    /** One line of {@code mgmtdev show}. */
    record Mgmtdev(String name, List<String> supportedClasses, int maxSupportedVqs, List<String> devFeatures) {}

    /** One line of {@code dev show}; {@code mgmtdev} and {@code driver} may be {@code null}. */
    record Dev(String name, String type, String mgmtdev, int vendorId, int maxVqs, int maxVqSize, String driver) {}

    /** A line of {@code dev show} for a device a management device refused to create from configuration. */
    record Refused(String source, String mgmtdev, String reason) {
        /** The state the line shows. */
        static final String STATE = "REFUSED";
    }
}
