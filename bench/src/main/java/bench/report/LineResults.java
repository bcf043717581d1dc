package bench.report;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.distribution.TDistribution;

import bench.report.JmhResult.Metric;

/**
 * Results of the harnesses that are not JMH (the native bare ring, hot plug and scale), one line
 * each:
 *
 * <pre>result &lt;Class.method&gt; [&lt;param&gt;=&lt;value&gt; ...] [stat=mean|median] unit=&lt;unit&gt; samples=&lt;v&gt;,&lt;v&gt;,...</pre>
 *
 * Each sample is one measurement (an iteration of a timed loop, one hot-plug cycle). Lines with
 * the same name and parameters are one result (the program ran more than once, like JMH's forks)
 * and their samples are pooled. Every other line ({@code #} comments, a program's own notes) is
 * skipped.
 *
 * <p>A result's score is the mean of its samples with JMH's error (the half-width of the 99.9%
 * Student-t confidence interval), or with {@code stat=median} the median, with {@code p99} as a
 * secondary metric and no error (a median's spread is its percentiles). Both carry min and max.
 * The mode is JMH's word for the unit: {@code avgt} for time per operation, {@code thrpt} for a
 * rate, {@code ss} for anything else.
 */
public final class LineResults {

    private static final String PREFIX = "result ";

    private LineResults() {
    }

    /**
     * One result line, as a Java harness prints it.
     *
     * @param name the benchmark's {@code Class.method}
     * @param params parameters, in order ({@code key=value}, no spaces)
     * @param median whether the score is the median (else the mean)
     */
    public static String format(String name, Map<String, String> params, boolean median, String unit, double[] samples) {
        StringBuilder b = new StringBuilder(PREFIX).append(name);
        params.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        if (median) {
            b.append(" stat=median");
        }
        b.append(" unit=").append(unit).append(" samples=");
        for (int i = 0; i < samples.length; i++) {
            b.append(i == 0 ? "" : ",").append(samples[i]);
        }
        return b.toString();
    }

    /**
     * @throws IllegalArgumentException naming the line, for a result line that is not well formed
     */
    static List<JmhResult> parse(String text) {
        Map<String, Entry> byKey = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            line = line.strip();
            if (!line.startsWith(PREFIX)) {
                continue;
            }
            try {
                Entry e = entry(line.substring(PREFIX.length()).strip());
                byKey.merge(e.key(), e, Entry::pool);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return byKey.values().stream().map(Entry::result).toList();
    }

    /** One result line's fields. */
    private record Entry(String name, Map<String, String> params, boolean median, String unit, double[] samples) {
        String key() {
            return name + params + median + unit;
        }

        Entry pool(Entry more) {
            double[] all = Arrays.copyOf(samples, samples.length + more.samples.length);
            System.arraycopy(more.samples, 0, all, samples.length, more.samples.length);
            return new Entry(name, params, median, unit, all);
        }

        JmhResult result() {
            double[] s = samples.clone();
            Arrays.sort(s);
            double min = s[0];
            double max = s[s.length - 1];
            Map<String, Metric> secondary = new LinkedHashMap<>();
            Metric primary;
            if (median) {
                primary = new Metric(percentile(s, 50), Double.NaN, unit, min, max);
                secondary.put("p99", new Metric(percentile(s, 99), Double.NaN, unit, min, max));
            } else {
                primary = new Metric(mean(s), error(s), unit, min, max);
            }
            return new JmhResult(name, mode(unit), params, primary, secondary);
        }
    }

    private static Entry entry(String fields) {
        String[] parts = fields.split("\\s+");
        String name = parts[0];
        if (name.isEmpty() || name.contains("=") || name.indexOf('.') <= 0) {
            throw new IllegalArgumentException("the first field is the benchmark's Class.method");
        }
        Map<String, String> params = new LinkedHashMap<>();
        String unit = null;
        String stat = "mean";
        double[] samples = null;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + parts[i] + "' is not key=value");
            }
            String key = parts[i].substring(0, eq);
            String value = parts[i].substring(eq + 1);
            switch (key) {
                case "unit" -> unit = value;
                case "stat" -> stat = value;
                case "samples" -> samples = samples(value);
                default -> params.put(key, value);
            }
        }
        if (unit == null || unit.isEmpty()) {
            throw new IllegalArgumentException("no unit=");
        }
        if (samples == null) {
            throw new IllegalArgumentException("no samples=");
        }
        if (!stat.equals("mean") && !stat.equals("median")) {
            throw new IllegalArgumentException("stat is mean or median, not " + stat);
        }
        return new Entry(name, params, stat.equals("median"), unit, samples);
    }

    private static double[] samples(String list) {
        String[] items = list.split(",", -1);
        double[] v = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            try {
                v[i] = Double.parseDouble(items[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sample '" + items[i] + "' is not a number");
            }
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("sample '" + items[i] + "' is not finite");
            }
        }
        return v;
    }

    static double mean(double[] s) {
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return sum / s.length;
    }

    /** Half-width of the 99.9% confidence interval of the mean, as JMH prints it; NaN for one sample. */
    static double error(double[] s) {
        int n = s.length;
        if (n < 2) {
            return Double.NaN;
        }
        double m = mean(s);
        double ss = 0;
        for (double v : s) {
            ss += (v - m) * (v - m);
        }
        double stdev = Math.sqrt(ss / (n - 1));
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - 0.001 / 2);
        return t * stdev / Math.sqrt(n);
    }

    /** The nearest-rank percentile of sorted samples (p in 0..100): the smallest value with p% at or below it. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    private static String mode(String unit) {
        if (unit.endsWith("/op")) {
            return "avgt";
        }
        return unit.startsWith("ops/") ? "thrpt" : "ss";
    }
}
