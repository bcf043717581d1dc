/**
 * The ring core's benchmarks: {@link bench.ring.RingRoundTripBenchmark} (one thread, ns per buffer
 * round trip, against JCTools' offer+poll) and {@link bench.ring.RingThroughputBenchmark} (a driver
 * and a device thread, buffers completed per second, against JCTools' SPSC handoff). Both share
 * {@code RingFixture}: a queue of 256 over one DMA pool, its address space, and a reused
 * two-element buffer.
 */
package bench.ring;
