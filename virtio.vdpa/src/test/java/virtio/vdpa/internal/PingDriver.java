package virtio.vdpa.internal;

import driver.core.DeviceContext;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import virtio.bus.AbstractVirtioDriver;
import virtio.bus.VirtioDevice;
import virtio.bus.VirtqueueConfig;
import virtio.ring.BufferChain;
import virtio.ring.DmaBuffer;
import virtio.ring.DriverQueue;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/**
 * A small class driver, written like virtio-net's skeleton: rings carved from the transport's DMA
 * pool, two queues with callbacks, remove resets the device before it gives the memory back. It
 * sends "ping" chains and reads back what the device wrote.
 */
final class PingDriver extends AbstractVirtioDriver {

    static final int QUEUE_SIZE = 64;

    final List<Integer> notified = new CopyOnWriteArrayList<>();
    private final List<String> log;
    private final List<DriverQueue> queues = new ArrayList<>();
    private final List<DmaBuffer> buffers = new ArrayList<>();
    private VirtioDevice device;

    PingDriver(List<String> log) {
        this.log = log;
    }

    @Override
    public long features() {
        return VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC);
    }

    @Override
    protected void probeNegotiated(VirtioDevice d, DeviceContext context) {
        device = d;
        List<VirtqueueConfig> configs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            DriverQueue q = DriverQueue.create(d.dmaPool(), QUEUE_SIZE, d.driverFeatures());
            queues.add(q);
            configs.add(new VirtqueueConfig(i, "q" + i, QUEUE_SIZE, q.descAddress(), q.driverAddress(), q.deviceAddress(),
                    notified::add));
        }
        d.setupQueues(configs);
    }

    @Override
    protected void removeNegotiated(VirtioDevice d, DeviceContext context) {
        log.add("driver quiesces " + context.name());
        d.reset(); // quiet before the memory goes back
        queues.forEach(DriverQueue::close);
        buffers.forEach(d.dmaPool()::free);
        queues.clear();
        buffers.clear();
    }

    /** Posts "ping" with room for the answer on queue {@code index} and kicks if the device wants it. */
    void ping(int index) {
        DmaBuffer out = device.dmaPool().allocate(4, 8);
        MemorySegment.copy(MemorySegment.ofArray("ping".getBytes(StandardCharsets.UTF_8)), 0, out.segment(), 0, 4);
        DmaBuffer in = device.dmaPool().allocate(64, 8);
        buffers.add(out);
        buffers.add(in);
        DriverQueue q = queues.get(index);
        if (!q.add(new BufferChain(2).readable(out).writable(in), in)) {
            throw new AssertionError("ring full");
        }
        if (q.kickPrepare()) {
            device.notifyQueue(index);
        }
    }

    /** The answer to the oldest ping on queue {@code index}, or null. */
    String answer(int index) {
        DriverQueue q = queues.get(index);
        Object token = q.pollUsed();
        if (token == null) {
            return null;
        }
        DmaBuffer in = (DmaBuffer) token;
        byte[] b = in.segment().asSlice(0, q.lastUsedLength()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return new String(b, StandardCharsets.UTF_8);
    }
}
