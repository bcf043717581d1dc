package net.responder.internal;

import java.lang.foreign.MemorySegment;
import virtio.net.api.FrameHandler;
import virtio.net.api.NetDevice;
import virtio.net.api.SendResult;

/**
 * The receive handler of one NetDevice that has addresses: answers on the queue a request came
 * in on, from that queue's {@link Reply} buffer (a queue's frames come on one thread at a time, so
 * its buffer is its own). Answering a frame allocates nothing.
 */
final class Responder implements FrameHandler {

    private final NetDevice device;
    private final Counters counters;
    private final int maxFrame;
    private volatile int[] addresses;
    /** One per queue; grown (rarely, under the lock) should a queue beyond the first count arrive. */
    private volatile Reply[] replies;

    Responder(NetDevice device, Counters counters, int[] addresses) {
        this.device = device;
        this.counters = counters;
        this.addresses = addresses;
        this.maxFrame = device.maxFrameLength();
        Reply[] r = new Reply[Math.max(1, device.queuePairs())];
        for (int i = 0; i < r.length; i++) {
            r[i] = new Reply(maxFrame);
        }
        this.replies = r;
    }

    NetDevice device() {
        return device;
    }

    /** Replaces the addresses answered for; frames processed afterwards see the new ones. */
    void addresses(int[] now) {
        addresses = now;
    }

    @Override
    public void frame(int queue, MemorySegment frame) {
        Reply out = reply(queue);
        Outcome o = Answers.answer(frame, device.mac().value(), addresses, out);
        if (o.replies) {
            SendResult sent = device.send(queue, out.frame());
            if (sent != SendResult.SENT) {
                o = sent == SendResult.BUSY ? Outcome.DROP_REPLY_BUSY : Outcome.DROP_REPLY_DOWN;
            }
        }
        counters.inc(o);
    }

    private Reply reply(int queue) {
        Reply[] r = replies;
        return queue < r.length ? r[queue] : grow(queue);
    }

    private synchronized Reply grow(int queue) {
        Reply[] r = replies;
        if (queue >= r.length) {
            Reply[] bigger = java.util.Arrays.copyOf(r, queue + 1);
            for (int i = r.length; i < bigger.length; i++) {
                bigger[i] = new Reply(maxFrame);
            }
            replies = bigger;
            r = bigger;
        }
        return r[queue];
    }
}
