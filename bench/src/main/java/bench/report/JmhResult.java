package bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark of a JMH result file: its name, mode, parameters, primary score and secondary
 * scores (a group's per-method rates, {@code @AuxCounters}, profiler outputs such as
 * {@code gc.alloc.rate.norm}).
 *
 * @param benchmark fully qualified {@code package.Class.method} (for a group, the group name)
 */
record JmhResult(String benchmark, String mode, Map<String, String> params, Metric primary,
                 Map<String, Metric> secondary) {

    /**
     * A score with JMH's 99.9% confidence half-width, and the smallest and largest measurement
     * it was made of (NaN when not known): the spread between iterations and forks.
     */
    record Metric(double score, double error, String unit, double min, double max) {
        Metric(double score, double error, String unit) {
            this(score, error, unit, Double.NaN, Double.NaN);
        }
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

    /**
     * Parses a JMH JSON result file (an array of benchmarks).
     *
     * @throws IllegalArgumentException if the text is not JSON, or not shaped like JMH's output
     */
    static List<JmhResult> parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not a JMH JSON result file: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException("a JMH JSON result file is an array of benchmarks");
        }
        List<JmhResult> results = new ArrayList<>();
        for (JsonElement run : root.getAsJsonArray()) {
            if (!run.isJsonObject()) {
                throw new IllegalArgumentException("a JMH benchmark is an object, not " + run);
            }
            JsonObject r = run.getAsJsonObject();
            Map<String, String> params = new LinkedHashMap<>();
            if (r.get("params") instanceof JsonObject p) {
                p.entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
            }
            Map<String, Metric> secondary = new LinkedHashMap<>();
            if (r.get("secondaryMetrics") instanceof JsonObject s) {
                s.entrySet().forEach(e -> secondary.put(e.getKey(), metric(e.getValue())));
            }
            results.add(new JmhResult(string(r, "benchmark"), string(r, "mode"), params,
                    metric(r.get("primaryMetric")), secondary));
        }
        return results;
    }

    private static Metric metric(JsonElement node) {
        if (!(node instanceof JsonObject m)) {
            throw new IllegalArgumentException("a JMH metric is an object, not " + node);
        }
        // rawData: one array of iteration scores per fork
        double min = Double.NaN;
        double max = Double.NaN;
        if (m.get("rawData") instanceof JsonArray forks) {
            for (JsonElement fork : forks) {
                if (fork instanceof JsonArray iterations) {
                    for (JsonElement v : iterations) {
                        double x = number(v);
                        if (!Double.isNaN(x)) {
                            min = Double.isNaN(min) ? x : Math.min(min, x);
                            max = Double.isNaN(max) ? x : Math.max(max, x);
                        }
                    }
                }
            }
        }
        return new Metric(number(m.get("score")), number(m.get("scoreError")), string(m, "scoreUnit"), min, max);
    }

    private static String string(JsonObject o, String member) {
        return o.get(member) instanceof JsonPrimitive p ? p.getAsString() : null;
    }

    // JMH writes non-finite doubles as strings ("NaN" for the error of a single measurement).
    private static double number(JsonElement value) {
        if (!(value instanceof JsonPrimitive p)) {
            return Double.NaN;
        }
        try {
            return p.isNumber() ? p.getAsDouble() : Double.parseDouble(p.getAsString());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
