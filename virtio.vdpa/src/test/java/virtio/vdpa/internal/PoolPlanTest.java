package virtio.vdpa.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import vdpa.bus.IovaRange;
import vdpa.bus.SimpleVdpaDevice;
import virtio.ring.DmaPool;
import virtio.ring.DriverQueue;
import virtio.ring.RingErrorCounter;
import virtio.spec.VirtioFeatures;

/** The pool holds a driver's rings, indirect tables and one frame per entry, within bounds. */
class PoolPlanTest {

    @Test
    void threeQueuesOf256FitInTwoMib() {
        // per queue: a split ring of 256 (26 * 256 + 12 and alignment gaps) and 256 frames of 2 KiB = ~519 KiB
        assertThat(PoolPlan.sizeFor(new SimpleVdpaDevice(3, SimpleVdpaDevice.FEATURES))).isEqualTo(2L << 20);
    }

    @Test
    void thePlannedPoolHoldsEveryQueueInEitherOfferedLayoutWithAFramePerEntry() {
        long offered = SimpleVdpaDevice.FEATURES | VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED)
                | VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_INDIRECT_DESC);
        SimpleVdpaDevice d = new SimpleVdpaDevice(9, offered);
        for (long features : new long[] {offered & ~VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED), offered}) {
            PoolPlan plan = PoolPlan.of(d);
            try (DmaPool pool = DmaPool.create(plan.size(), plan.iovaBase() + 1)) {
                for (int i = 0; i < d.vqCount(); i++) {
                    int n = d.getVqSize(i);
                    DriverQueue.create(pool, n, features, DriverQueue.DEFAULT_INDIRECT_MAX, new RingErrorCounter("t"));
                    for (int b = 0; b < n; b++) {
                        pool.allocate(PoolPlan.BUFFER_BYTES_PER_ENTRY, 8);
                    }
                }
            }
        }
    }

    @Test
    void aSingleSmallQueueStillGetsTheMinimum() {
        SimpleVdpaDevice tiny = new SimpleVdpaDevice(1, SimpleVdpaDevice.FEATURES) {
            @Override public int getVqNumMax() { return 4; }
        };
        assertThat(PoolPlan.sizeFor(tiny)).isEqualTo(PoolPlan.MIN_SIZE);
    }

    @Test
    void hugeQueuesAreCappedAtTheMaximum() {
        SimpleVdpaDevice huge = new SimpleVdpaDevice(64, SimpleVdpaDevice.FEATURES) {
            @Override public int getVqNumMax() { return 32768; }
        };
        assertThat(PoolPlan.sizeFor(huge)).isEqualTo(PoolPlan.MAX_SIZE);
    }

    @Test
    void theBaseIsThePreferredAddressWhenTheRangeHoldsItElseTheRangesFirstPage() {
        assertThat(PoolPlan.iovaBase(IovaRange.FULL, 1 << 20)).isEqualTo(PoolPlan.PREFERRED_IOVA_BASE);
        assertThat(PoolPlan.iovaBase(new IovaRange(0x1001, 0x20_0000), 1 << 20)).isEqualTo(0x2000);
        assertThat(PoolPlan.iovaBase(new IovaRange(-0x10_0000L, -1L), 0x8_0000)).isEqualTo(-0x10_0000L);
    }

    @Test
    void aRangeTooSmallIsRefused() {
        assertThatThrownBy(() -> PoolPlan.iovaBase(new IovaRange(0, 0xffffe), 1 << 20))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot hold");
        assertThatThrownBy(() -> PoolPlan.iovaBase(new IovaRange(-0x800L, -1L), 0x100))
                .isInstanceOf(IllegalStateException.class);
    }
}
