package virtio.vdpa.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import vdpa.bus.VdpaCallback;
import virtio.bus.VirtqueueCallback;
import virtio.bus.VirtqueueConfig;

/**
 * The virtqueues of one {@code setupQueues} call and the routing of their interrupts: each queue's
 * {@link VdpaCallback} (the kernel's virtio_vdpa_virtqueue_cb) calls that queue's
 * {@link VirtqueueCallback} with its own index, until the group is closed.
 *
 * <p>Closing waits for callbacks already running, so after a reset or del_vqs returns no driver
 * callback runs any more (the virtio transport contract), even if the device's worker was in the
 * middle of one. The device's worker never waits: a callback that finds the group closing is
 * dropped, which is what a reset does to interrupts anyway.
 */
final class QueueGroup {

    private static final Logger LOG = System.getLogger(QueueGroup.class.getName());

    private final String device;
    private final List<VirtqueueConfig> queues;
    // read: a callback in flight; write: close waiting for them to finish
    private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
    private volatile boolean open = true;

    QueueGroup(String device, List<VirtqueueConfig> queues) {
        this.device = device;
        this.queues = List.copyOf(queues);
    }

    List<VirtqueueConfig> queues() {
        return queues;
    }

    /** The callback to install on the vDPA device for this queue, or {@code null} for a polled queue. */
    VdpaCallback route(VirtqueueConfig q) {
        VirtqueueCallback target = q.callback();
        if (target == null) {
            return null;
        }
        int index = q.index();
        return () -> deliver(index, target);
    }

    private void deliver(int index, VirtqueueCallback target) {
        if (!open || !inFlight.readLock().tryLock()) {
            return;
        }
        try {
            if (open) {
                target.notified(index);
            }
        } catch (RuntimeException e) {
            // a driver's bug must not kill the device's worker
            LOG.log(Level.ERROR, device + ": callback of virtqueue " + index + " threw", e);
        } finally {
            inFlight.readLock().unlock();
        }
    }

    /**
     * Stops routing and waits for callbacks in flight. Called from inside a callback of this group
     * (a driver resetting from its interrupt handler) it cannot wait for itself and returns at once.
     */
    void close() {
        open = false;
        if (inFlight.getReadHoldCount() > 0) {
            return;
        }
        inFlight.writeLock().lock();
        inFlight.writeLock().unlock();
    }

    boolean isOpen() {
        return open;
    }
}
