package vdpa.bus.internal;

import java.util.List;

/** What the vdpa shell commands show, as data; {@link ShellFormat} says how each reads. */
final class ShellRows {
    private ShellRows() {}

    /** One object of {@code mgmtdev show}. */
    record Mgmtdev(String name, List<String> supportedClasses, int maxSupportedVqs, List<String> devFeatures) {}

    /**
     * One object of {@code dev show}: a device on the bus, or a configuration a management device
     * refused. Another kind of row is one more record here and one more case in {@link ShellFormat#DEV}.
     */
    sealed interface DevRow permits Dev, Refused {}

    /** A device on the bus; {@code mgmtdev} and {@code driver} may be {@code null}. */
    record Dev(String name, String type, String mgmtdev, int vendorId, int maxVqs, int maxVqSize, String driver)
            implements DevRow {}

    /** A line of {@code dev show} for a device a management device refused to create from configuration. */
    record Refused(String source, String mgmtdev, String reason) implements DevRow {
        /** The state the line shows. */
        static final String STATE = "REFUSED";
    }
}
