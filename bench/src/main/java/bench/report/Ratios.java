package bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import bench.report.JmhResult.Metric;
import bench.report.RatioSpecs.RatioSpec;

/**
 * Prints the table of a JMH JSON result file and the ratios of {@link RatioSpecs} that its
 * benchmarks allow. Usage: {@code java -cp benchmarks.jar bench.report.Ratios [results.json]}.
 */
public final class Ratios {
    private static final String ALLOC = "gc.alloc.rate.norm";

    private Ratios() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "target/bench-results.json");
        List<JmhResult> results = JmhResult.parse(Files.readString(file));
        printTable(results, System.out);
        System.out.println();
        printRatios(results, RatioSpecs.ALL, System.out);
    }

    static void printTable(List<JmhResult> results, PrintStream out) {
        boolean gc = results.stream().anyMatch(r -> r.secondary().containsKey(ALLOC));
        int nameWidth = Math.max(9, results.stream().mapToInt(r -> r.shortName().length()).max().orElse(0));
        int paramWidth = Math.max(6, results.stream().mapToInt(r -> params(r.params()).length()).max().orElse(0));
        String row = "%-" + nameWidth + "s  %-" + paramWidth + "s  %16s %s %14s  %-6s%s%n";
        if (results.stream().anyMatch(r -> r.mode().equals("thrpt") && r.secondary().containsKey("received"))) {
            out.println("(a two-thread group's own score counts every call, full or empty ones too;"
                    + " its element rate is :received)");
        }
        out.printf(Locale.ROOT, row, "Benchmark", "Params", "Score", " ", "Error", "Units", gc ? "  alloc B/op" : "");
        for (JmhResult r : results) {
            String alloc = gc && r.secondary().containsKey(ALLOC)
                    ? String.format(Locale.ROOT, "  %10.1f", r.secondary().get(ALLOC).score()) : "";
            out.printf(Locale.ROOT, row, r.shortName(), params(r.params()), number(r.primary().score()), "±",
                    number(r.primary().error()), r.primary().unit(), alloc);
            // A group's per-method rates and @AuxCounters; profiler lines other than alloc stay in the JSON.
            r.secondary().forEach((name, m) -> {
                if (!name.startsWith("gc.") && !name.startsWith("·gc.")) {
                    out.printf(Locale.ROOT, row, "  :" + name, "", number(m.score()), "±", number(m.error()),
                            m.unit(), "");
                }
            });
        }
    }

    /** A computed ratio: its label, value and error, and the target verdict if any. */
    record Line(String label, double ratio, double error, RatioSpecs.Goal goal) {
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
            lines.add(new Line(spec.label() + describe(num, nums, den, dens),
                    ratio, error, spec.goal()));
        }
        return lines;
    }

    static void printRatios(List<JmhResult> results, List<RatioSpec> specs, PrintStream out) {
        out.println("RATIOS (same run; error from both sides' 99.9% intervals)");
        List<String> skipped = new ArrayList<>();
        for (RatioSpec spec : specs) {
            List<Line> lines = compute(results, spec);
            if (lines.isEmpty()) {
                skipped.add(spec.label());
            }
            for (Line l : lines) {
                String verdict = l.goal() == null ? ""
                        : "   target " + l.goal() + ": " + (l.goal().met(l.ratio()) ? "met" : "MISSED");
                out.printf(Locale.ROOT, "  %-78s %8.3f ± %-7s%s%n", l.label(), l.ratio(),
                        Double.isNaN(l.error()) ? "?" : String.format(Locale.ROOT, "%.3f", l.error()), verdict);
            }
        }
        if (!skipped.isEmpty()) {
            out.println("  not computable from this run (benchmarks absent): " + String.join("; ", skipped));
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
