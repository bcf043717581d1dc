package bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One benchmark of a JMH result file: its name, mode, parameters, primary score and secondary
 * scores (a group's per-method rates, {@code @AuxCounters}, profiler outputs such as
 * {@code gc.alloc.rate.norm}).
 *
 * @param benchmark fully qualified {@code package.Class.method} (for a group, the group name)
 */
record JmhResult(String benchmark, String mode, Map<String, String> params, Metric primary,
                 Map<String, Metric> secondary) {

    /** A score with JMH's 99.9% confidence half-width. */
    record Metric(double score, double error, String unit) {
    }

    /** {@code Class.method}: what the table prints and what a ratio names. */
    String shortName() {
        int method = benchmark.lastIndexOf('.');
        int cls = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(cls + 1);
    }

    /** The primary metric for {@code null}, otherwise the named secondary one (or null). */
    Metric metric(String name) {
        return name == null ? primary : secondary.get(name);
    }

    static List<JmhResult> parse(String json) {
        if (!(Json.parse(json) instanceof List<?> runs)) {
            throw new IllegalArgumentException("a JMH JSON result file is an array of benchmarks");
        }
        List<JmhResult> results = new ArrayList<>();
        for (Object run : runs) {
            Map<?, ?> r = (Map<?, ?>) run;
            Map<String, String> params = new LinkedHashMap<>();
            if (r.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put((String) k, Objects.toString(v)));
            }
            Map<String, Metric> secondary = new LinkedHashMap<>();
            if (r.get("secondaryMetrics") instanceof Map<?, ?> s) {
                s.forEach((k, v) -> secondary.put((String) k, metric(v)));
            }
            results.add(new JmhResult((String) r.get("benchmark"), (String) r.get("mode"), params,
                    metric(r.get("primaryMetric")), secondary));
        }
        return results;
    }

    private static Metric metric(Object node) {
        Map<?, ?> m = (Map<?, ?>) node;
        return new Metric(number(m.get("score")), number(m.get("scoreError")), (String) m.get("scoreUnit"));
    }

    // JMH writes non-finite doubles as strings ("NaN" for the error of a single measurement).
    private static double number(Object value) {
        return switch (value) {
            case Double d -> d;
            case String s -> Double.parseDouble(s);
            case null, default -> Double.NaN;
        };
    }
}
