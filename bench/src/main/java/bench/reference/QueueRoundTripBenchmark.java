package bench.reference;

import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One thread, one element: offer then poll, the cost of a handoff without the other thread. The
 * queue stays empty between operations, as the ring does in its one-thread round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class QueueRoundTripBenchmark {

    @Param
    public QueueKind queue;

    @Param("1024")
    public int capacity;

    private Queue<Integer> q;

    @Setup
    public void setUp() {
        q = queue.queue(capacity);
    }

    /** Returns what it polled, so JMH keeps the poll alive. */
    @Benchmark
    public Integer offerPoll() {
        Queue<Integer> q = this.q;
        q.offer(QueueKind.ELEMENT);
        return q.poll();
    }
}
