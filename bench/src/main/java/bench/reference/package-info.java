/**
 * The baseline: one producer and one consumer handing a constant element through JCTools'
 * {@code SpscArrayQueue} and through {@code ArrayBlockingQueue}.
 *
 * <p>{@link bench.reference.QueueRoundTripBenchmark} is the one-thread cost of an offer+poll pair
 * (ns/op), the yardstick for the ring's one-thread round trip. {@link
 * bench.reference.QueueHandoffBenchmark} is the two-thread rate: a JMH group of one sender and one
 * receiver thread, reporting successful transfers per second as the {@code received} counter (the
 * group's primary score also counts calls that found the queue full or empty, so it is not a rate of
 * elements). The element is one shared boxed constant so nothing is allocated per transfer.
 *
 * <p>{@link bench.reference.BareSplitRing} is the second yardstick: the split ring format's memory
 * traffic with none of virtio.ring's checks, run by {@link bench.reference.BareRingRoundTripBenchmark}
 * and {@link bench.reference.BareRingHandoffBenchmark} exactly as the ring benchmarks run the real
 * ring, so the ratios separate what the format costs from what the checks cost.
 */
package bench.reference;
