package bench.reference;

import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * {@code ArrayBlockingQueue} through its non-blocking methods. It has no batch offer, so a send
 * batch is a loop of offers (one lock acquisition each); a receive batch is one {@code drainTo}
 * (one lock acquisition) into a list the consumer reuses.
 */
final class BlockingChannel implements Channel {
    private final ArrayBlockingQueue<Integer> queue;
    private final ArrayList<Integer> sink = new ArrayList<>(); // consumer thread only

    BlockingChannel(ArrayBlockingQueue<Integer> queue) {
        this.queue = queue;
    }

    @Override
    public int send(int max) {
        int sent = 0;
        while (sent < max && queue.offer(QueueKind.ELEMENT)) {
            sent++;
        }
        return sent;
    }

    @Override
    public int receive(int max) {
        if (max == 1) {
            return queue.poll() != null ? 1 : 0;
        }
        int received = queue.drainTo(sink, max);
        sink.clear(); // keeps its capacity: no allocation after the first batch
        return received;
    }
}
