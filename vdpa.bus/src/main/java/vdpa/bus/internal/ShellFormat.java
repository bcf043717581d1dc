package vdpa.bus.internal;

import shell.format.Attributes;
import shell.format.Iproute2;

/**
 * How the vdpa records read: iproute2's {@code vdpa} words, in its text and its JSON
 * ({@code {"dev":{"vdpa0":{...}}}}). shell.format does the writing.
 */
final class ShellFormat {
    private ShellFormat() {}

    /**
     * <pre>
     * vdpasim_net:
     *   supported_classes net
     *   max_supported_vqs 3
     *   dev_features MTU MAC VERSION_1
     * </pre>
     */
    static final Iproute2<ShellRows.Mgmtdev> MGMTDEV = Iproute2.objects("mgmtdev", m -> Attributes.of(m.name())
            .line("supported_classes", m.supportedClasses())
            .line("max_supported_vqs", m.maxSupportedVqs())
            .line("dev_features", m.devFeatures()));

    /**
     * {@code vdpa0: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256},
     * followed by {@code driver <name>} when bound (which iproute2 cannot know); then a line
     * {@code <source>: state REFUSED mgmtdev <name> reason <reason>} for each refused configuration.
     */
    static final Iproute2<ShellRows.DevRow> DEV = Iproute2.objects("dev", row -> switch (row) {
        case ShellRows.Dev d -> Attributes.of(d.name())
                .put("type", d.type())
                .put("mgmtdev", d.mgmtdev())
                .put("vendor_id", Integer.toUnsignedLong(d.vendorId()))
                .put("max_vqs", d.maxVqs())
                .put("max_vq_size", d.maxVqSize())
                .put("driver", d.driver());
        case ShellRows.Refused r -> Attributes.of(r.source())
                .put("state", ShellRows.Refused.STATE)
                .put("mgmtdev", r.mgmtdev())
                .put("reason", r.reason());
    });
}
