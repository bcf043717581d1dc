package bench.reference;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Two threads, one queue: a sender and a receiver in one JMH group. The score to read is the
 * {@code received} counter, successful transfers per second; {@code sendFull} and
 * {@code receiveEmpty} count the calls that found nothing to do (backpressure, starvation) and are
 * not transfers. With {@code batch > 1} each call moves up to that many elements.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Group)
public class QueueHandoffBenchmark {

    @Param
    public QueueKind queue;

    @Param("1024")
    public int capacity;

    @Param({"1", "32"})
    public int batch;

    private Channel channel;

    @Setup
    public void setUp() {
        channel = queue.channel(capacity);
    }

    /** The sender's counters, normalised by JMH to per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class SenderCounters {
        public long sent;
        public long sendFull;

        @Setup(Level.Iteration)
        public void reset() {
            sent = 0;
            sendFull = 0;
        }
    }

    /** The receiver's counters; {@code received} is the handoff rate in elements per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class ReceiverCounters {
        public long received;
        public long receiveEmpty;

        @Setup(Level.Iteration)
        public void reset() {
            received = 0;
            receiveEmpty = 0;
        }
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void send(SenderCounters counters) {
        int n = channel.send(batch);
        if (n == 0) {
            counters.sendFull++;
        } else {
            counters.sent += n;
        }
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void receive(ReceiverCounters counters) {
        int n = channel.receive(batch);
        if (n == 0) {
            counters.receiveEmpty++;
        } else {
            counters.received += n;
        }
    }
}
