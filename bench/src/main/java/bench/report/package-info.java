/**
 * Reads the JSON a JMH run wrote ({@code -rf json}) and prints a compact table and the ratios
 * between benchmarks of that same run. A ratio whose benchmarks are not in the file is skipped, so
 * the report works before the ring benchmarks exist and with any subset selected by a regex.
 *
 * <p>The JSON is read with Gson, the library the shell writes its JSON with; JMH's output is plain
 * JSON except that it writes non-finite numbers as the strings {@code "NaN"} and
 * {@code "Infinity"}, which {@link bench.report.JmhResult} maps back to doubles.
 */
package bench.report;
