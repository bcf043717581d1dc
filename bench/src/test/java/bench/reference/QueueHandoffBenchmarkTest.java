package bench.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The handoff counters must count elements that moved and nothing else: a call that meets a full or
 * an empty queue is backpressure or starvation, not throughput. Driven on one thread, no timing.
 */
class QueueHandoffBenchmarkTest {

    private static QueueHandoffBenchmark benchmark(QueueKind kind, int capacity, int batch) {
        QueueHandoffBenchmark b = new QueueHandoffBenchmark();
        b.queue = kind;
        b.capacity = capacity;
        b.batch = batch;
        b.setUp();
        return b;
    }

    @ParameterizedTest
    @EnumSource(QueueKind.class)
    void fullAndEmptyCallsAreNotCountedAsTransfers(QueueKind kind) {
        QueueHandoffBenchmark b = benchmark(kind, 8, 1);
        var sender = new QueueHandoffBenchmark.SenderCounters();
        var receiver = new QueueHandoffBenchmark.ReceiverCounters();

        b.receive(receiver);
        assertThat(receiver.received).isZero();
        assertThat(receiver.receiveEmpty).isEqualTo(1);

        for (int i = 0; i < 20; i++) {
            b.send(sender);
        }
        assertThat(sender.sent).isEqualTo(8);
        assertThat(sender.sendFull).isEqualTo(12);

        for (int i = 0; i < 10; i++) {
            b.receive(receiver);
        }
        assertThat(receiver.received).isEqualTo(8);
        assertThat(receiver.receiveEmpty).isEqualTo(1 + 2);
    }

    @ParameterizedTest
    @EnumSource(QueueKind.class)
    void batchesCountEveryElementMoved(QueueKind kind) {
        QueueHandoffBenchmark b = benchmark(kind, 64, 32);
        var sender = new QueueHandoffBenchmark.SenderCounters();
        var receiver = new QueueHandoffBenchmark.ReceiverCounters();

        b.send(sender);
        b.send(sender);
        b.send(sender); // the queue is full after two batches
        assertThat(sender.sent).isEqualTo(64);
        assertThat(sender.sendFull).isEqualTo(1);

        b.receive(receiver);
        b.receive(receiver);
        b.receive(receiver);
        assertThat(receiver.received).isEqualTo(64);
        assertThat(receiver.receiveEmpty).isEqualTo(1);
    }
}
