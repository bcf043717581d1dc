package bench.reference;

import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;

import org.jctools.queues.SpscArrayQueue;

/**
 * The reference queues, named as the JMH {@code queue} parameter shows them. The constants keep the
 * class names on purpose: they are what a reader of the results table looks for.
 */
public enum QueueKind {
    SpscArrayQueue {
        @Override
        Queue<Integer> queue(int capacity) {
            return new SpscArrayQueue<>(capacity);
        }

        @Override
        Channel channel(int capacity) {
            return new SpscChannel(new SpscArrayQueue<>(capacity));
        }
    },
    ArrayBlockingQueue {
        @Override
        Queue<Integer> queue(int capacity) {
            return new ArrayBlockingQueue<>(capacity);
        }

        @Override
        Channel channel(int capacity) {
            return new BlockingChannel(new ArrayBlockingQueue<>(capacity));
        }
    };

    /** What every queue carries: one cached box, so a transfer allocates nothing. */
    static final Integer ELEMENT = 42;

    abstract Queue<Integer> queue(int capacity);

    abstract Channel channel(int capacity);
}
