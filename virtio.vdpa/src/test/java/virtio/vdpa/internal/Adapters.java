package virtio.vdpa.internal;

import java.util.ArrayList;
import java.util.List;
import virtio.ring.DmaPool;

/** Builds adapters the way the driver's probe does, and frees their pools afterwards. */
final class Adapters implements AutoCloseable {

    private final List<DmaPool> pools = new ArrayList<>();

    /** An adapter over {@code d} with its pool planned and mapped, config interrupt installed. */
    VdpaVirtioDevice over(RecordingVdpaDevice d) {
        PoolPlan plan = PoolPlan.of(d);
        DmaPool pool = DmaPool.create(plan.size(), plan.iovaBase());
        pools.add(pool);
        DmaWindow window = new DmaWindow(d, DmaWindow.Kind.of(d), pool);
        window.map();
        VdpaVirtioDevice v = new VdpaVirtioDevice("virtio9", d, pool, window);
        v.attach();
        return v;
    }

    @Override
    public void close() {
        pools.forEach(DmaPool::close);
    }
}
