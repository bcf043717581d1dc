/**
 * JMH benchmarks of busbar's ring core beside the reference of what a Java thread handoff costs on
 * the same machine (issue 3, "Benchmarks").
 *
 * <p>Layout: {@code bench.reference} holds the JCTools {@code SpscArrayQueue} and
 * {@code ArrayBlockingQueue} baselines; {@code bench.ring} holds the ring core's benchmarks
 * ({@code RingRoundTripBenchmark}, {@code RingThroughputBenchmark}); {@code bench.report} reads a
 * run's JMH JSON and prints the table and the ratios the issue sets targets for. Every benchmark
 * runs in the same JMH invocation ({@code bench/run}) so the ratios compare numbers from the same
 * machine state. The ratio table matches benchmarks by simple class name, method (or group) name and
 * {@code @Param} values, so the names and parameters listed in {@link bench.report.RatioSpecs} are
 * the contract between a benchmark and its ratio.
 */
package bench;
