package bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import bench.report.JmhResult.Metric;
import bench.report.RatioSpecs.RatioSpec;

/**
 * Prints the table of one run's results and the ratios of {@link RatioSpecs} that its benchmarks
 * allow, then the absolute targets ({@link RatioSpecs#LIMITS}). Usage:
 * {@code java -cp benchmarks.jar bench.report.Ratios [results.json] [results.txt ...]}: a
 * {@code .json} file is JMH's, any other file holds {@link LineResults} (the native floor, hot plug
 * and scale). With no argument, {@code target/bench-results.json}.
 */
public final class Ratios {
    private static final String ALLOC = "gc.alloc.rate.norm";

    private Ratios() {
    }

    public static void main(String[] args) throws IOException {
        List<String> files = args.length > 0 ? List.of(args) : List.of("target/bench-results.json");
        List<JmhResult> results = new ArrayList<>();
        for (String f : files) {
            results.addAll(read(Path.of(f)));
        }
        printTable(results, System.out);
        System.out.println();
        printRatios(results, RatioSpecs.ALL, System.out);
        printLimits(results, RatioSpecs.LIMITS, System.out);
        checkQueueSize(results, System.out);
    }

    static List<JmhResult> read(Path file) throws IOException {
        String text = Files.readString(file);
        return file.getFileName().toString().endsWith(".json") ? JmhResult.parse(text) : LineResults.parse(text);
    }

    /** The native floor states its queue size; it must be the ring benchmarks' own to compare with them. */
    static void checkQueueSize(List<JmhResult> results, PrintStream out) {
        String ours = String.valueOf(bench.ring.RingFixture.QUEUE_SIZE);
        for (JmhResult r : results) {
            String q = r.params().get("queue");
            if (r.shortName().startsWith("NativeBareRing.") && !ours.equals(q)) {
                out.println("WARNING: " + r.shortName() + " ran a queue of " + q + ", the ring benchmarks one of " + ours
                        + ": its ratios compare different rings");
            }
        }
    }

    static void printTable(List<JmhResult> results, PrintStream out) {
        boolean gc = results.stream().anyMatch(r -> r.secondary().containsKey(ALLOC));
        int nameWidth = Math.max(9, results.stream().mapToInt(r -> r.shortName().length()).max().orElse(0));
        int paramWidth = Math.max(6, results.stream().mapToInt(r -> params(r.params()).length()).max().orElse(0));
        boolean spread = results.stream().anyMatch(r -> !Double.isNaN(r.primary().min()));
        String row = "%-" + nameWidth + "s  %-" + paramWidth + "s  %16s %s %14s  %-6s%s%s%n";
        if (results.stream().anyMatch(r -> r.mode().equals("thrpt") && r.secondary().containsKey("received"))) {
            out.println("(a two-thread group's own score counts every call, full or empty ones too;"
                    + " its element rate is :received)");
        }
        out.printf(Locale.ROOT, row, "Benchmark", "Params", "Score", " ", "Error", "Units", gc ? "  alloc B/op" : "",
                spread ? "  min .. max" : "");
        for (JmhResult r : results) {
            String alloc = gc && r.secondary().containsKey(ALLOC)
                    ? String.format(Locale.ROOT, "  %10.1f", r.secondary().get(ALLOC).score()) : gc ? "            " : "";
            out.printf(Locale.ROOT, row, r.shortName(), params(r.params()), number(r.primary().score()), "±",
                    number(r.primary().error()), r.primary().unit(), alloc, spread ? spread(r.primary()) : "");
            // A group's per-method rates and @AuxCounters; profiler lines other than alloc stay in the JSON.
            r.secondary().forEach((name, m) -> {
                if (!name.startsWith("gc.") && !name.startsWith("·gc.")) {
                    out.printf(Locale.ROOT, row, "  :" + name, "", number(m.score()), "±", number(m.error()),
                            m.unit(), gc ? "            " : "", spread ? spread(m) : "");
                }
            });
        }
    }

    private static String spread(Metric m) {
        return Double.isNaN(m.min()) ? "" : "  " + number(m.min()) + " .. " + number(m.max());
    }

    /**
     * A computed ratio: its label, value and error, the lowest and highest ratio the two sides'
     * measurements allow (smallest numerator over largest denominator and the reverse; NaN when a
     * side's spread is unknown), and the target verdict if any.
     */
    record Line(String label, double ratio, double error, double low, double high, RatioSpecs.Goal goal) {
    }

    static List<Line> compute(List<JmhResult> results, RatioSpec spec) {
        List<Line> lines = new ArrayList<>();
        List<JmhResult> nums = results.stream().filter(spec.numerator()::matches).toList();
        List<JmhResult> dens = results.stream().filter(spec.denominator()::matches).toList();
        for (JmhResult num : nums) {
            JmhResult den = dens.stream()
                    .filter(r -> r != num)
                    .max(Comparator.comparingLong(r -> sharedParams(num, r)))
                    .orElse(null);
            if (den == null) {
                continue;
            }
            Metric a = num.metric(spec.numerator().metric());
            Metric b = den.metric(spec.denominator().metric());
            double[] x = normalise(a);
            double[] y = normalise(b);
            if (x[2] != y[2] || x[2] == 2 && !a.unit().equals(b.unit())) {
                continue; // incomparable units (time per op against a rate, or unknown)
            }
            double ratio = x[0] / y[0];
            double relA = x[1] / x[0];
            double relB = y[1] / y[0];
            // JMH's errors are confidence half-widths; relative errors add in quadrature.
            double error = Double.isNaN(relA) || Double.isNaN(relB) ? Double.NaN
                    : ratio * Math.sqrt(relA * relA + relB * relB);
            double f = x[0] / a.score(); // the same unit scaling for the spread
            double g = y[0] / b.score();
            double low = a.min() * f / (b.max() * g);
            double high = a.max() * f / (b.min() * g);
            lines.add(new Line(spec.label() + describe(num, nums, den, dens),
                    ratio, error, low, high, spec.goal()));
        }
        return lines;
    }

    static void printRatios(List<JmhResult> results, List<RatioSpec> specs, PrintStream out) {
        out.println("RATIOS (same run; error from both sides' 99.9% intervals; [lowest .. highest] from their spreads)");
        Set<String> skipped = new LinkedHashSet<>();
        Set<String> computed = new HashSet<>();
        for (RatioSpec spec : specs) {
            List<Line> lines = compute(results, spec);
            (lines.isEmpty() ? skipped : computed).add(spec.label());
            for (Line l : lines) {
                String verdict = l.goal() == null ? ""
                        : "   target " + l.goal() + ": " + (l.goal().met(l.ratio()) ? "met" : "MISSED");
                String range = Double.isNaN(l.low()) ? "" : String.format(Locale.ROOT, "  [%.3f .. %.3f]", l.low(), l.high());
                out.printf(Locale.ROOT, "  %-78s %8.3f ± %-7s%s%s%n", l.label(), l.ratio(),
                        Double.isNaN(l.error()) ? "?" : String.format(Locale.ROOT, "%.3f", l.error()), range, verdict);
            }
        }
        skipped.removeAll(computed); // a label several specs share is absent only if all of them are
        if (!skipped.isEmpty()) {
            out.println("  not computable from this run (benchmarks absent): " + String.join("; ", skipped));
        }
    }

    /** The absolute targets whose results are in the run; the others are named as absent. */
    static void printLimits(List<JmhResult> results, List<RatioSpecs.Limit> limits, PrintStream out) {
        List<String> lines = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (RatioSpecs.Limit l : limits) {
            List<JmhResult> matching = results.stream().filter(l.side()::matches).toList();
            if (matching.isEmpty()) {
                skipped.add(l.label());
            }
            for (JmhResult r : matching) {
                Metric m = r.metric(l.side().metric());
                String verdict;
                if (!m.unit().equals(l.unit())) {
                    verdict = "   (in " + m.unit() + ", the target is in " + l.unit() + ")";
                } else {
                    verdict = l.goal() == null ? ""
                            : "   target " + l.goal() + " " + l.unit() + ": " + (l.goal().met(m.score()) ? "met" : "MISSED");
                }
                String params = r.params().isEmpty() ? "" : " [" + params(r.params()) + "]";
                lines.add(String.format(Locale.ROOT, "  %-78s %10s %-7s%s%s", l.label() + params, number(m.score()),
                        m.unit(), spread(m), verdict));
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        out.println();
        out.println("TARGETS (same run; [min .. max] of the measurements)");
        lines.forEach(out::println);
        if (!skipped.isEmpty()) {
            out.println("  not in this run: " + String.join("; ", skipped));
        }
    }

    /**
     * [value, error, kind] in ns per op (kind 0) or ops per second (kind 1); other units are kept
     * as they are (kind 2) and only compared with the same unit.
     */
    private static double[] normalise(Metric m) {
        String[] parts = m.unit().split("/");
        if (parts.length == 2 && parts[1].equals("op") && nanos(parts[0]) > 0) {
            double f = nanos(parts[0]);
            return new double[] {m.score() * f, m.error() * f, 0};
        }
        if (parts.length == 2 && parts[0].equals("ops") && nanos(parts[1]) > 0) {
            double f = 1e9 / nanos(parts[1]);
            return new double[] {m.score() * f, m.error() * f, 1};
        }
        return new double[] {m.score(), m.error(), 2};
    }

    private static double nanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> -1;
        };
    }

    private static long sharedParams(JmhResult a, JmhResult b) {
        return a.params().entrySet().stream().filter(e -> e.getValue().equals(b.params().get(e.getKey()))).count();
    }

    // The parameters that vary among a side's matches, so the lines of one spec tell apart.
    private static String describe(JmhResult num, List<JmhResult> nums, JmhResult den, List<JmhResult> dens) {
        String a = varying(num, nums);
        String b = varying(den, dens);
        if (a.isEmpty() && b.isEmpty()) {
            return "";
        }
        return " [" + a + (b.isEmpty() || b.equals(a) ? "" : " vs " + b) + "]";
    }

    private static String varying(JmhResult r, List<JmhResult> all) {
        StringJoiner j = new StringJoiner(" ");
        r.params().forEach((k, v) -> {
            if (all.stream().anyMatch(o -> !v.equals(o.params().get(k)))) {
                j.add(k + "=" + v);
            }
        });
        return j.toString();
    }

    private static String params(Map<String, String> params) {
        StringJoiner j = new StringJoiner(" ");
        params.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
