package bench.reference;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;

/** JCTools' single-producer single-consumer array queue; batches use its fill and drain. */
final class SpscChannel implements Channel {
    private static final MessagePassingQueue.Supplier<Integer> SUPPLY = () -> QueueKind.ELEMENT;
    // The consumer only moves elements; what a real consumer does with them is not the handoff's cost.
    private static final MessagePassingQueue.Consumer<Integer> DISCARD = e -> { };

    private final SpscArrayQueue<Integer> queue;

    SpscChannel(SpscArrayQueue<Integer> queue) {
        this.queue = queue;
    }

    @Override
    public int send(int max) {
        if (max == 1) {
            return queue.offer(QueueKind.ELEMENT) ? 1 : 0;
        }
        return queue.fill(SUPPLY, max);
    }

    @Override
    public int receive(int max) {
        if (max == 1) {
            return queue.poll() != null ? 1 : 0;
        }
        return queue.drain(DISCARD, max);
    }
}
