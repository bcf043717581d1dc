package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import virtio.spec.VirtioFeatures;

/**
 * {@link DriverQueue#poolBytes} is what a queue really takes: a pool of exactly that size holds the
 * queue wherever its bus address puts the alignment gaps, and hardly more is reserved.
 */
class PoolBytesTest {

    private static final long PACKED = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
    private static final long INDIRECT = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_INDIRECT_DESC);

    @Test
    void aPoolOfExactlyPoolBytesHoldsTheQueueAtAnyBaseAlignment() {
        for (long features : new long[] {0, INDIRECT, PACKED, PACKED | INDIRECT}) {
            for (int size : new int[] {1, 2, 8, 256, 1024}) {
                for (int indirectMax : new int[] {0, 4, DriverQueue.DEFAULT_INDIRECT_MAX}) {
                    long bytes = DriverQueue.poolBytes(size, features, indirectMax);
                    for (long base = 0x10000; base < 0x10010; base++) {
                        try (DmaPool pool = DmaPool.create(bytes, base);
                                DriverQueue q = DriverQueue.create(pool, size, features, indirectMax, new RingErrorCounter("t"))) {
                            assertThat(q.size()).isEqualTo(size);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theReserveIsTheAreasTablesAndAlignmentGapsOnly() {
        // split 256: 16n + (6 + 2n) + (6 + 8n), gaps of 15 + 1 + 3
        assertThat(DriverQueue.poolBytes(256, 0, 16)).isEqualTo(26 * 256 + 12 + 19);
        // indirect tables of 16 descriptors per id, aligned 16
        assertThat(DriverQueue.poolBytes(256, INDIRECT, 16)).isEqualTo(26 * 256 + 12 + 19 + 256 * 16 * 16 + 15);
        // a table never holds more descriptors than the ring; one of 1 descriptor is not worth it
        assertThat(DriverQueue.poolBytes(8, INDIRECT, 16)).isEqualTo(DriverQueue.poolBytes(8, INDIRECT, 8));
        assertThat(DriverQueue.poolBytes(8, INDIRECT, 1)).isEqualTo(DriverQueue.poolBytes(8, 0, 1));
        // packed 256: 16n and two 4-byte event structures, gaps of 15 + 3 + 3
        assertThat(DriverQueue.poolBytes(256, PACKED, 0)).isEqualTo(16 * 256 + 8 + 21);
    }

    @Test
    void aPoolOneAlignmentGapTooSmallCanBeRefused() {
        // at base 1 the descriptor table alone needs a 15-byte gap: 16 bytes short of the reserve is too little
        long bytes = DriverQueue.poolBytes(256, 0, 0);
        try (DmaPool pool = DmaPool.create(bytes - 16, 1)) {
            assertThatThrownBy(() -> DriverQueue.create(pool, 256, 0, 0, new RingErrorCounter("t")))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
