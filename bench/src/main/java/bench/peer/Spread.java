package bench.peer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The lowest, the median and the highest of a few repeated measurements: what a side-by-side run
 * reports instead of a mean, because on a shared machine the spread between repeats is the larger
 * error and a mean hides it.
 */
public record Spread(double min, double median, double max, int n) {

    /**
     * The spread of {@code values} (at least one; the median of an even count is the mean of the
     * middle two).
     *
     * @throws IllegalArgumentException for none, or for a value that is not a finite number
     */
    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a spread of no values");
        }
        double[] v = values.clone();
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("not a finite number: " + x + " in " + Arrays.toString(values));
            }
        }
        Arrays.sort(v);
        int m = v.length / 2;
        double median = v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
        return new Spread(v[0], median, v[v.length - 1], v.length);
    }

    /** As {@link #of(double...)}. */
    public static Spread of(List<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The spread of the ratios {@code numerators[i] / denominators[i]}: pairs measured next to each
     * other (one repeat), never one side's best over the other's worst.
     *
     * @throws IllegalArgumentException if the counts differ or a denominator is not positive
     */
    public static Spread ofRatios(double[] numerators, double[] denominators) {
        if (numerators.length != denominators.length) {
            throw new IllegalArgumentException(numerators.length + " numerators for " + denominators.length + " denominators");
        }
        double[] r = new double[numerators.length];
        for (int i = 0; i < r.length; i++) {
            if (!(denominators[i] > 0)) {
                throw new IllegalArgumentException("denominator " + i + " is " + denominators[i] + ": no ratio");
            }
            r[i] = numerators[i] / denominators[i];
        }
        return of(r);
    }

    /** {@code median [min .. max]} scaled by {@code scale}, with {@code decimals} digits. */
    public String format(double scale, int decimals) {
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " [" + f + " .. " + f + "]", median * scale, min * scale, max * scale);
    }
}
