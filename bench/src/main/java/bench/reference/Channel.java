package bench.reference;

/**
 * One producer, one consumer: {@link #send} is only called from the producer thread and
 * {@link #receive} only from the consumer thread. Both are non-blocking and return how many
 * elements actually moved, so a full or empty queue shows up as 0 and is never counted as work.
 */
sealed interface Channel permits SpscChannel, BlockingChannel {

    /** Offers up to {@code max} elements; returns how many were accepted (0 when full). */
    int send(int max);

    /** Takes up to {@code max} elements; returns how many were taken (0 when empty). */
    int receive(int max);
}
