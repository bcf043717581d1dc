package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtqPacked;
import virtio.spec.VirtqSplit;

/**
 * Whatever the other side writes, a queue neither throws, loops, nor hands out memory outside its
 * mappings; it either works or breaks with a named reason (never a memory fault: the memory stays).
 */
class HostileBytesPropertyTest {

    record Desc(long addr, int len, int flags, int next) {}

    @Provide
    Arbitrary<List<Desc>> descs() {
        Arbitrary<Long> addr = Arbitraries.oneOf(
                Arbitraries.longs().between(RawSplit.DATA, RawSplit.DATA + 0x10000),
                Arbitraries.of(0L, -1L, -16L, RawSplit.BASE, RawSplit.BASE + 0x20000 - 8, RawSplit.DATA + 0x1000),
                Arbitraries.longs());
        Arbitrary<Integer> len = Arbitraries.oneOf(
                Arbitraries.of(0, 1, 16, 32, 48, -1, 0x10000, 24),
                Arbitraries.integers().between(0, 0x2000),
                Arbitraries.integers());
        Arbitrary<Integer> flags = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<Integer> next = Arbitraries.integers().between(0, 40);
        return Combinators.combine(addr, len, flags, next).as(Desc::new).list().ofMinSize(1).ofMaxSize(32);
    }

    private static final int[] FEATURES = {
        VirtioFeatures.VIRTIO_F_INDIRECT_DESC, VirtioFeatures.VIRTIO_F_EVENT_IDX,
        VirtioFeatures.VIRTIO_F_IN_ORDER};

    private static int[] features(int mask) {
        return java.util.stream.IntStream.range(0, FEATURES.length).filter(i -> (mask & 1 << i) != 0)
                .map(i -> FEATURES[i]).toArray();
    }

    @Property(tries = 1500)
    void anySplitRingIsServedOrRefused(@ForAll @IntRange(min = 0, max = 5) int sizeExp,
            @ForAll @IntRange(min = 0, max = 7) int featureMask, @ForAll("descs") List<Desc> table,
            @ForAll("descs") List<Desc> indirect, @ForAll @Size(max = 40) List<@IntRange(max = 40) Integer> heads,
            @ForAll @IntRange(min = 0, max = 70) int availIdx) {
        int size = 1 << sizeExp;
        try (RawSplit r = new RawSplit(size, features(featureMask))) {
            for (int i = 0; i < size && i < table.size(); i++) {
                Desc d = table.get(i);
                r.desc(i, d.addr(), d.len(), d.flags(), d.next());
            }
            for (int i = 0; i < indirect.size(); i++) {
                Desc d = indirect.get(i);
                RawSplit.write(r.data, 0x1000 + 16L * i, d.addr(), d.len(), d.flags(), d.next());
            }
            for (int i = 0; i < size && i < heads.size(); i++) {
                r.avail.set(RawSplit.U16, 4 + 2L * i, (short) (int) heads.get(i));
            }
            r.availIdx(availIdx);
            serve(r.device);
        }
    }

    @Property(tries = 1500)
    void anyPackedRingIsServedOrRefused(@ForAll @IntRange(min = 1, max = 20) int size,
            @ForAll @IntRange(min = 0, max = 7) int featureMask, @ForAll("descs") List<Desc> ring,
            @ForAll("descs") List<Desc> indirect) {
        try (RawPacked r = new RawPacked(size, features(featureMask))) {
            for (int i = 0; i < size && i < ring.size(); i++) {
                Desc d = ring.get(i);
                r.desc(i, d.addr(), d.len(), d.next(), d.flags());
            }
            for (int i = 0; i < indirect.size(); i++) {
                Desc d = indirect.get(i);
                RawPacked.write(r.data, 0x1000 + 16L * i, d.addr(), d.len(), d.next(), d.flags());
            }
            serve(r.device);
        }
    }

    /** Pops until empty or broken, returning each chain; asserts every part lies inside its segment. */
    private static void serve(DeviceQueue q) {
        int popped = 0;
        for (DescriptorChain c; (c = q.pop()) != null; ) {
            popped++;
            assertThat(popped).as("more buffers than the ring holds: a loop").isLessThanOrEqualTo(4 * q.size() + 4);
            for (int i = 0; i < c.readableCount(); i++) {
                assertThat(c.readableOffset(i) + c.readableLength(i)).isLessThanOrEqualTo(c.readableSegment(i).byteSize());
            }
            for (int i = 0; i < c.writableCount(); i++) {
                assertThat(c.writableOffset(i) + c.writableLength(i)).isLessThanOrEqualTo(c.writableSegment(i).byteSize());
            }
            assertThat(c.readableBytes() + c.writableBytes()).isLessThanOrEqualTo(1L << 32);
            q.returnUsed(c, (int) Math.min(c.writableBytes(), 7));
            q.needsNotify();
        }
        q.enableNotifications();
        assertThat(q.brokenReason()).isNotEqualTo(RingError.MEMORY_FAULT);
    }

    @Property(tries = 1500)
    void anyUsedRingIsTakenOrRefused(@ForAll boolean packed, @ForAll @IntRange(min = 0, max = 4) int sizeExp,
            @ForAll @IntRange(min = 0, max = 7) int featureMask, @ForAll @IntRange(min = 0, max = 16) int offered,
            @ForAll("descs") List<Desc> used, @ForAll @IntRange(min = 0, max = 70) int usedIdx) {
        int size = 1 << sizeExp;
        try (Rig rig = packed ? Layout.PACKED.rig(size, features(featureMask)) : Layout.SPLIT.rig(size, features(featureMask))) {
            Set<Integer> outstanding = new HashSet<>();
            for (int i = 0; i < offered; i++) {
                if (rig.driver.add(new BufferChain(1).writable(rig.buffer(8)), i)) {
                    outstanding.add(i);
                }
            }
            if (packed) {
                var ring = rig.at(rig.driver.descAddress(), VirtqPacked.descRingSize(size));
                for (int i = 0; i < size && i < used.size(); i++) {
                    Desc d = used.get(i);
                    RawPacked.write(ring, (long) VirtqPacked.PVIRTQ_DESC_SIZE * i, d.addr(), d.len(), d.next(), d.flags());
                }
            } else {
                var ring = rig.at(rig.driver.deviceAddress(), VirtqSplit.usedRingSize(size));
                for (int i = 0; i < size && i < used.size(); i++) {
                    Desc d = used.get(i);
                    long o = VirtqSplit.VIRTQ_USED_RING + (long) VirtqSplit.VIRTQ_USED_ELEM_SIZE * i;
                    ring.set(RawSplit.U32, o, d.next() % (size + 2)); // id
                    ring.set(RawSplit.U32, o + 4, d.len() & 0xF); // len
                }
                ring.set(RawSplit.U16, VirtqSplit.VIRTQ_USED_IDX, (short) usedIdx);
            }
            for (Object t; (t = rig.driver.pollUsed()) != null; ) {
                assertThat(outstanding.remove(t)).as("token %s not outstanding", t).isTrue();
                assertThat(rig.driver.lastUsedLength()).isBetween(0, 8);
            }
            rig.driver.enableCallbacks();
            assertThat(rig.driver.brokenReason()).isNotEqualTo(RingError.MEMORY_FAULT);
        }
    }
}
