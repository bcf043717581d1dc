/**
 * The datapath end to end: {@link bench.net.NetDeviceBenchmark} sends frames from one
 * {@code NetDevice} to another across a simulated cable, in a real Felix embedded in the JMH fork
 * ({@code EmbeddedBusbar}, which installs busbar's bundles from {@code target/bench-bundles}), and
 * counts the frames the receive handler gets per second. The ratios set it beside the ring core's
 * two-thread handoff ({@code RingThroughputBenchmark}) of the same run.
 */
package bench.net;
