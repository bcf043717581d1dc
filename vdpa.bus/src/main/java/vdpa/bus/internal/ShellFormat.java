package vdpa.bus.internal;

import driver.core.shell.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Text as iproute2's {@code vdpa} prints it, and the JSON of its {@code -j}. */
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
    static String mgmtdevText(List<ShellRows.Mgmtdev> rows) {
        StringBuilder b = new StringBuilder();
        for (ShellRows.Mgmtdev m : rows) {
            b.append(m.name()).append(":\n");
            b.append("  supported_classes ").append(String.join(" ", m.supportedClasses())).append('\n');
            b.append("  max_supported_vqs ").append(m.maxSupportedVqs()).append('\n');
            b.append("  dev_features ").append(String.join(" ", m.devFeatures())).append('\n');
        }
        return strip(b);
    }

    /** {@code {"mgmtdev":{"vdpasim_net":{"supported_classes":["net"],"max_supported_vqs":3,"dev_features":[...]}}}} */
    static String mgmtdevJson(List<ShellRows.Mgmtdev> rows) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (ShellRows.Mgmtdev m : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("supported_classes", m.supportedClasses());
            o.put("max_supported_vqs", m.maxSupportedVqs());
            o.put("dev_features", m.devFeatures());
            all.put(m.name(), o);
        }
        return Json.write(Map.of("mgmtdev", all));
    }

    /**
     * {@code vdpa0: type network mgmtdev vdpasim_net vendor_id 0 max_vqs 3 max_vq_size 256},
     * followed by {@code driver <name>} when bound (which iproute2 cannot know); then a line
     * {@code <source>: state REFUSED mgmtdev <name> reason <reason>} for each refused configuration.
     */
    static String devText(List<ShellRows.Dev> rows, List<ShellRows.Refused> refused) {
        StringBuilder b = new StringBuilder();
        for (ShellRows.Dev d : rows) {
            b.append(d.name()).append(": type ").append(d.type());
            if (d.mgmtdev() != null) {
                b.append(" mgmtdev ").append(d.mgmtdev());
            }
            b.append(" vendor_id ").append(Integer.toUnsignedString(d.vendorId()))
                    .append(" max_vqs ").append(d.maxVqs())
                    .append(" max_vq_size ").append(d.maxVqSize());
            if (d.driver() != null) {
                b.append(" driver ").append(d.driver());
            }
            b.append('\n');
        }
        for (ShellRows.Refused r : refused) {
            b.append(r.source()).append(": state ").append(ShellRows.Refused.STATE).append(" mgmtdev ").append(r.mgmtdev())
                    .append(" reason ").append(r.reason()).append('\n');
        }
        return strip(b);
    }

    /**
     * {@code {"dev":{"vdpa0":{"type":"network","mgmtdev":"vdpasim_net","vendor_id":0,"max_vqs":3,"max_vq_size":256}}}},
     * and under {@code dev} for each refused configuration {@code "<source>":{"state":"REFUSED","mgmtdev":...,"reason":...}}.
     */
    static String devJson(List<ShellRows.Dev> rows, List<ShellRows.Refused> refused) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (ShellRows.Dev d : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("type", d.type());
            if (d.mgmtdev() != null) {
                o.put("mgmtdev", d.mgmtdev());
            }
            o.put("vendor_id", Integer.toUnsignedLong(d.vendorId()));
            o.put("max_vqs", d.maxVqs());
            o.put("max_vq_size", d.maxVqSize());
            if (d.driver() != null) {
                o.put("driver", d.driver());
            }
            all.put(d.name(), o);
        }
        for (ShellRows.Refused r : refused) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("state", ShellRows.Refused.STATE);
            o.put("mgmtdev", r.mgmtdev());
            o.put("reason", r.reason());
            all.put(r.source(), o);
        }
        return Json.write(Map.of("dev", all));
    }

    private static String strip(StringBuilder b) {
        if (!b.isEmpty() && b.charAt(b.length() - 1) == '\n') {
            b.setLength(b.length() - 1);
        }
        return b.toString();
    }
}
