package virtio.net.internal;

import java.time.Duration;
import virtio.spec.VirtioNetHdr;

/**
 * The driver's tunables, from its component configuration (see {@link VirtioNetComponent.Config}).
 *
 * @param queueSize the largest virtqueue size the driver asks for (the device's maximum caps it; a
 *     split ring rounds down to a power of two)
 * @param mergeBufferSize bytes per RX buffer when VIRTIO_NET_F_MRG_RXBUF is negotiated (the
 *     kernel sizes them near 1.5 KiB; a small size makes frames span several buffers)
 * @param maxQueuePairs the most queue pairs set up when VIRTIO_NET_F_MQ is negotiated
 * @param ctrlTimeout how long a control command waits for the device's ack
 * @param backlog frames per queue that wait for {@code poll} when no receive handler is set
 */
record Settings(int queueSize, int mergeBufferSize, int maxQueuePairs, Duration ctrlTimeout, int backlog) {

    /** The defaults of {@link VirtioNetComponent.Config}. */
    static final Settings DEFAULTS = new Settings(256, 2048, 8, Duration.ofSeconds(2), 512);

    Settings {
        if (queueSize < 1 || mergeBufferSize <= VirtioNetHdr.VIRTIO_NET_HDR_SIZE || maxQueuePairs < 1
                || ctrlTimeout.isNegative() || ctrlTimeout.isZero() || backlog < 1) {
            throw new IllegalArgumentException("invalid virtio_net settings " + this);
        }
    }

    Settings withQueueSize(int size) {
        return new Settings(size, mergeBufferSize, maxQueuePairs, ctrlTimeout, backlog);
    }

    Settings withMergeBufferSize(int size) {
        return new Settings(queueSize, size, maxQueuePairs, ctrlTimeout, backlog);
    }

    Settings withCtrlTimeout(Duration timeout) {
        return new Settings(queueSize, mergeBufferSize, maxQueuePairs, timeout, backlog);
    }

    Settings withBacklog(int frames) {
        return new Settings(queueSize, mergeBufferSize, maxQueuePairs, ctrlTimeout, frames);
    }
}
