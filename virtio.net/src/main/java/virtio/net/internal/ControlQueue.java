package virtio.net.internal;

import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_CLASS;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_COMMAND;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_CTRL_HDR_SIZE;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_ERR;
import static virtio.spec.VirtioNetCtrl.VIRTIO_NET_OK;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import virtio.bus.VirtioDevice;
import virtio.net.api.NetDeviceException;
import virtio.net.api.NetDeviceException.Reason;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;

/**
 * The controlq (spec 5.1.6.5): one command at a time, {@code {u8 class; u8 command}} and the
 * command's data device-readable, then {@code u8 ack} device-writable, all in one preallocated
 * buffer. The caller waits for the used buffer a bounded time (the kernel spins on
 * virtqueue_get_buf; we sleep until the queue's callback or the deadline).
 *
 * <p>A command the device has not answered by the deadline stays in the ring, and its buffer with
 * it: the next command first waits (bounded again) for the device to use it, and fails with
 * "previous command unanswered" if it does not, so the buffer is never rewritten while the device
 * may still read it.
 */
final class ControlQueue {

    /** Largest command data: enough for a MAC table of several hundred entries. */
    static final int MAX_DATA = 4096 - 64;
    private static final int DATA_OFFSET = 16;
    private static final int ACK_OFFSET = DATA_OFFSET + MAX_DATA;

    private final VirtioDevice device;
    private final int index;
    private final DriverQueue vq;
    private final DmaPool pool;
    private final DmaBuffer buf;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Semaphore used = new Semaphore(0);
    private final BufferChain chain = new BufferChain(3);
    private Object outstanding;
    private int lastLength;
    private volatile boolean closed;

    ControlQueue(VirtioDevice device, int index, DriverQueue vq, DmaPool pool, Duration timeout) {
        this.device = device;
        this.index = index;
        this.vq = vq;
        this.pool = pool;
        this.timeoutNanos = timeout.toNanos();
        this.buf = pool.allocate(ACK_OFFSET + 8, 16);
    }

    int index() {
        return index;
    }

    /** The queue's callback (device thread): wake a waiting command. Cheap by design. */
    void notified() {
        used.release();
    }

    /**
     * Sends one command and waits for its ack.
     *
     * @param data the command-specific data (may be empty)
     * @throws NetDeviceException REFUSED on VIRTIO_NET_ERR, TIMEOUT, or DOWN after removal or a broken ring
     */
    void command(int cls, int cmd, byte[] data, String what) throws NetDeviceException {
        try {
            send(cls, cmd, data, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetDeviceException(Reason.TIMEOUT, what + ": interrupted while waiting for the device");
        }
    }

    private void send(int cls, int cmd, byte[] data, String what) throws NetDeviceException, InterruptedException {
        if (data.length > MAX_DATA) {
            throw new NetDeviceException(Reason.INVALID, what + ": " + data.length + " bytes of data exceed " + MAX_DATA);
        }
        lock.lock();
        try {
            if (closed || vq.isBroken()) {
                throw new NetDeviceException(Reason.DOWN, what + ": control queue " + (closed ? "closed" : "broken"));
            }
            if (outstanding != null && !awaitUsed()) {
                throw new NetDeviceException(Reason.TIMEOUT, what + ": previous command unanswered");
            }
            MemorySegment mem = buf.segment();
            mem.set(ValueLayout.JAVA_BYTE, VIRTIO_NET_CTRL_CLASS, (byte) cls);
            mem.set(ValueLayout.JAVA_BYTE, VIRTIO_NET_CTRL_COMMAND, (byte) cmd);
            MemorySegment.copy(MemorySegment.ofArray(data), 0, mem, DATA_OFFSET, data.length);
            // anything but OK in the ack slot: a device that "uses" the buffer without writing it is not an OK
            mem.set(ValueLayout.JAVA_BYTE, ACK_OFFSET, (byte) 0xff);
            chain.clear().readable(buf.iova(), VIRTIO_NET_CTRL_HDR_SIZE);
            if (data.length > 0) {
                chain.readable(buf.iova() + DATA_OFFSET, data.length);
            }
            chain.writable(buf.iova() + ACK_OFFSET, 1);
            Object token = new Object();
            used.drainPermits();
            if (!vq.add(chain, token)) {
                throw new NetDeviceException(Reason.DOWN, what + ": control queue refused the command");
            }
            outstanding = token;
            if (vq.kickPrepare()) {
                device.notifyQueue(index);
            }
            awaitAnswer(what);
            int ack = mem.get(ValueLayout.JAVA_BYTE, ACK_OFFSET) & 0xff;
            if (ack != VIRTIO_NET_OK) {
                throw new NetDeviceException(Reason.REFUSED, what + ": device answered " + (ack == VIRTIO_NET_ERR ? "VIRTIO_NET_ERR" : "ack " + ack));
            }
        } finally {
            lock.unlock();
        }
    }

    private void awaitAnswer(String what) throws NetDeviceException {
        boolean answered;
        try {
            answered = awaitUsed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetDeviceException(Reason.TIMEOUT, what + ": interrupted while waiting for the device");
        }
        if (answered) {
            if (lastLength < 1) {
                throw new NetDeviceException(Reason.REFUSED, what + ": device used the command without writing an ack");
            }
            return;
        }
        if (closed || vq.isBroken()) {
            throw new NetDeviceException(Reason.DOWN, what + ": device went away while the command was pending");
        }
        throw new NetDeviceException(Reason.TIMEOUT, what + ": no answer within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    /**
     * Waits, at most the command timeout, for the device to use the outstanding command buffer.
     *
     * @return true once it is back (then {@link #lastLength} holds its written length); false on
     *     timeout, close or a broken ring
     */
    private boolean awaitUsed() throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            reap();
            if (outstanding == null) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (closed || vq.isBroken() || left <= 0) {
                return false;
            }
            used.tryAcquire(left, TimeUnit.NANOSECONDS);
        }
    }

    /** Takes used buffers; when the outstanding one comes back, clears it and keeps its written length. */
    private void reap() {
        Object token;
        while ((token = vq.pollUsed()) != null) {
            if (token == outstanding) {
                outstanding = null;
                lastLength = vq.lastUsedLength();
            }
        }
    }

    /** Fails waiting and future commands; returns once no command is in progress. */
    void shutdown() {
        closed = true;
        used.release();
        lock.lock();
        lock.unlock();
    }

    /** After the device reset: returns ring and buffer to the pool. */
    void release() {
        lock.lock();
        try {
            while (vq.detachUnused() != null) {
                // an unanswered command: nobody waits for it any more
            }
            vq.close();
            pool.free(buf);
        } finally {
            lock.unlock();
        }
    }
}
