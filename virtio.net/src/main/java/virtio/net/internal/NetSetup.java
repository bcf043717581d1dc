package virtio.net.internal;

import static virtio.spec.VirtioNet.VIRTIO_NET_F_CTRL_VQ;
import static virtio.spec.VirtioNet.VIRTIO_NET_F_MRG_RXBUF;
import static virtio.spec.VirtioNet.VIRTIO_NET_MIN_MTU;
import static virtio.spec.VirtioNet.controlQueue;
import static virtio.spec.VirtioNet.receiveQueue;
import static virtio.spec.VirtioNet.transmitQueue;

import java.util.ArrayList;
import java.util.List;
import virtio.bus.NegotiationException;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtioNegotiation;
import virtio.bus.VirtqueueConfig;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;
import virtio.ring.RingErrorCounter;
import virtio.spec.VirtioFeatures;
import virtio.ring.work.WorkerPool;

/**
 * Probe's queue bring-up (the kernel's virtnet_find_vqs, init_vqs and try_fill_recv): allocate the
 * rings and buffers from the device's DMA pool, hand the rings to the transport, post every RX
 * buffer, set DRIVER_OK, kick, start the workers. Remembers what it built so a failure at any
 * step is undone in reverse, after a device reset.
 */
final class NetSetup {

    private final VirtioDevice device;
    private final long features;
    private final NetConfig config;
    private final Settings settings;
    private final String name;
    private final int ifindex;
    private final String parent;
    /** Releases of what was built so far, in build order; run in reverse after a reset. */
    private final List<Runnable> undo = new ArrayList<>();
    /** Every queue pair made, started or not: each holds a job of the pool until stopped. */
    private final List<QueuePair> made = new ArrayList<>();
    private final WorkerPool datapath;

    /** @param datapath the pool the queue pairs' jobs run on */
    NetSetup(VirtioDevice device, long features, NetConfig config, Settings settings, String name, int ifindex,
            String parent, WorkerPool datapath) {
        this.datapath = datapath;
        this.device = device;
        this.features = features;
        this.config = config;
        this.settings = settings;
        this.name = name;
        this.ifindex = ifindex;
        this.parent = parent;
    }

    VirtioNet build() throws NegotiationException {
        boolean packed = VirtioFeatures.has(features, VirtioFeatures.VIRTIO_F_RING_PACKED);
        boolean cvq = VirtioFeatures.has(features, VIRTIO_NET_F_CTRL_VQ);
        boolean mergeable = VirtioFeatures.has(features, VIRTIO_NET_F_MRG_RXBUF);
        int maxPairs = config.maxPairs();
        int pairs = Math.min(maxPairs, settings.maxQueuePairs());
        int ctrlIndex = controlQueue(features, maxPairs);
        int needed = cvq ? ctrlIndex + 1 : 2 * pairs;
        if (device.queueCount() < needed) {
            throw new IllegalStateException(parent + " has " + device.queueCount() + " virtqueues, virtio-net needs "
                    + needed + " (" + maxPairs + " pairs" + (cvq ? " and a control queue" : "") + ")");
        }
        if (config.mtu() < VIRTIO_NET_MIN_MTU) {
            throw new IllegalStateException(parent + " reports MTU " + config.mtu() + " below " + VIRTIO_NET_MIN_MTU);
        }
        DmaPool pool = device.dmaPool();
        RingErrorCounter errors = new RingErrorCounter("virtio_net " + parent);
        int rxFrame = VirtioNetDriver.maxRxFrame(config.mtu());
        int txFrame = VirtioNetDriver.maxTxFrame(config.mtu());
        int bufSize = VirtioNetDriver.rxBufferSize(features, config.mtu(), settings);
        int backlogDepth = Math.min(settings.backlog(), Math.max(8, (8 << 20) / rxFrame));
        Receivers receivers = new Receivers();

        QueuePair[] qp = new QueuePair[pairs];
        List<VirtqueueConfig> vqs = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Counters counters = new Counters();
            int rxi = receiveQueue(i);
            int txi = transmitQueue(i);
            DriverQueue rxq = ring(pool, rxi, packed, 0, errors);
            RxQueue rx = adopt(rxq, () -> new RxQueue(device, rxi, rxq, pool, bufSize, mergeable, rxFrame, counters));
            undo.add(rx::release);
            DriverQueue txq = ring(pool, txi, packed, 0, errors);
            TxQueue tx = adopt(txq, () -> new TxQueue(device, txi, txq, pool, txFrame, counters));
            undo.add(tx::release);
            QueuePair p = new QueuePair(name, i, rx, tx, counters, new Backlog(i, backlogDepth, rxFrame, counters),
                    receivers, datapath);
            made.add(p);
            qp[i] = p;
            vqs.add(new VirtqueueConfig(rxi, "input." + i, rxq.size(), rxq.descAddress(), rxq.driverAddress(),
                    rxq.deviceAddress(), index -> p.schedule()));
            vqs.add(new VirtqueueConfig(txi, "output." + i, txq.size(), txq.descAddress(), txq.driverAddress(),
                    txq.deviceAddress(), index -> p.schedule()));
        }
        ControlQueue ctrl = null;
        if (cvq) {
            // the control queue is small and rarely used; its 3-element chains may go indirect
            DriverQueue cq = ring(pool, ctrlIndex, packed, 4, errors);
            ControlQueue c = adopt(cq, () -> new ControlQueue(device, ctrlIndex, cq, pool, settings.ctrlTimeout()));
            undo.add(c::release);
            ctrl = c;
            vqs.add(new VirtqueueConfig(ctrlIndex, "control", cq.size(), cq.descAddress(), cq.driverAddress(),
                    cq.deviceAddress(), index -> c.notified()));
        }
        device.setupQueues(vqs);
        for (QueuePair p : qp) {
            p.rx.fill();
        }
        // the device may be notified only after DRIVER_OK (3.1.1); the control queue needs it too
        VirtioNegotiation.ready(device);
        for (QueuePair p : qp) {
            p.rx.kick();
            p.start();
        }
        return new VirtioNet(name, ifindex, parent, features, config, qp, ctrl, receivers);
    }

    /**
     * Undoes a failed probe. With the NetDevice built, its own teardown; otherwise stop what was
     * started, reset the device so it lets go of our buffers, then release in reverse.
     */
    void abandon(VirtioNet net) {
        if (net != null) {
            boolean[] stopped = net.shutdown();
            device.reset();
            net.release(stopped);
            return;
        }
        boolean clean = true;
        for (QueuePair p : made) {
            clean &= p.stop();
        }
        device.reset();
        if (!clean) {
            return; // a worker is stuck in a handler: leaking its memory beats freeing it under it
        }
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
    }

    private DriverQueue ring(DmaPool pool, int index, boolean packed, int indirectMax, RingErrorCounter errors) {
        int max = device.queueMaxSize(index);
        if (max <= 0) {
            throw new IllegalStateException(parent + " virtqueue " + index + " is not available");
        }
        int size = Math.min(max, settings.queueSize());
        if (!packed) {
            size = Integer.highestOneBit(size); // split rings are a power of two (2.7)
        }
        DriverQueue q = DriverQueue.create(pool, size, features, indirectMax, errors);
        undo.add(q::close);
        return q;
    }

    /** Builds the owner of {@code q}; on success the owner's release replaces the ring's close. */
    private <T> T adopt(DriverQueue q, java.util.function.Supplier<T> owner) {
        T t = owner.get();
        undo.removeLast();
        return t;
    }
}
