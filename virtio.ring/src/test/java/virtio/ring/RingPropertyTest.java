package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import virtio.spec.VirtioFeatures;

/**
 * The real driver side and the real device side over one memory, driven by random operations,
 * queue sizes, chain shapes and features. Invariants: every buffer comes back exactly once, with
 * the length the device wrote and the bytes it wrote; the device reads exactly what the driver
 * offered; neither side breaks; the pending answers of enable* tell the truth.
 */
class RingPropertyTest {

    enum Kind { ADD, STAGE, PUBLISH_AVAIL, TAKE, RETURN, PUBLISH, POLL, KICK, DRIVER_CALLBACKS, DEVICE_NOTIFICATIONS }

    record Step(Kind kind, int a, int b) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 999), Arbitraries.integers().between(0, 999))
                .as(Step::new);
        return step.list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void everyBufferComesBackExactlyOnceWithTheWrittenLengthAndData(
            @ForAll boolean packed, @ForAll @IntRange(min = 0, max = 7) int sizeSeed,
            @ForAll boolean indirect, @ForAll @IntRange(min = 2, max = 8) int indirectMax,
            @ForAll boolean eventIdx, @ForAll boolean inOrder,
            @ForAll("steps") @Size(max = 200) List<Step> steps) {
        int size = packed ? 1 + sizeSeed * 9 : 1 << sizeSeed;
        long features = Rig.bits()
                | (packed ? VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED) : 0)
                | (indirect ? VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_INDIRECT_DESC) : 0)
                | (eventIdx ? VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_EVENT_IDX) : 0)
                | (inOrder ? VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_IN_ORDER) : 0);
        try (Rig rig = Rig.of(size, features, indirectMax, 4 << 20)) {
            new Run(rig, indirect ? indirectMax : 0).play(steps);
        }
    }

    /** The omniscient harness: knows what each side should see. */
    private static final class Run {
        final Rig rig;
        final boolean inOrder;
        final Map<Long, Integer> seqByAddress = new HashMap<>();
        final Map<Integer, Offered> offered = new HashMap<>();
        final List<Popped> popped = new ArrayList<>();
        int nextSeq;
        /** Buffers the device may pop: added, or staged and then published. */
        int addedNotPopped;
        /** Buffers staged and not yet published: the device must not see them. */
        int staged;
        int pushedNotPublished;
        int publishedNotPolled;
        int completed;

        final int indirectMax;

        Run(Rig rig, int indirectMax) {
            this.rig = rig;
            this.indirectMax = indirectMax;
            this.inOrder = VirtioFeatures.has(rig.features, VirtioFeatures.VIRTIO_F_IN_ORDER);
        }

        /** {@code writable} holds the elements as offered (possibly empty); {@code allocations} what to free. */
        record Offered(List<DmaBuffer> allocations, List<DmaBuffer> writable, byte[] data, long capacity, int[] written) {}

        record Popped(DescriptorChain chain, int seq) {}

        void play(List<Step> steps) {
            for (Step s : steps) {
                switch (s.kind()) {
                    case ADD -> add(s.a(), s.b(), false);
                    case STAGE -> add(s.a(), s.b(), true);
                    case PUBLISH_AVAIL -> {
                        rig.driver.publish();
                        availPublished();
                    }
                    case TAKE -> take();
                    case RETURN -> giveBack(s.a(), s.b());
                    case PUBLISH -> publish();
                    case POLL -> poll();
                    case KICK -> {
                        rig.driver.kickPrepare();
                        availPublished();
                    }
                    case DRIVER_CALLBACKS -> callbacks(s.a() % 2 == 0);
                    case DEVICE_NOTIFICATIONS -> notifications(s.a() % 2 == 0);
                }
                assertThat(rig.device.isBroken()).as("device: %s", rig.device.brokenReason()).isFalse();
                assertThat(rig.driver.isBroken()).as("driver: %s", rig.driver.brokenReason()).isFalse();
            }
            drain();
            assertThat(completed).isEqualTo(nextSeq);
            assertThat(offered).isEmpty();
            assertThat(rig.driver.freeDescriptors()).isEqualTo(rig.driver.size());
            assertThat(rig.device.errors().total() + rig.driver.errors().total()).isZero();
        }

        /** {@code stage}: the buffer stays invisible until published; else it and every staged one become visible. */
        void add(int a, int b, boolean stage) {
            int readable = a % 4;
            int writable = b % 4;
            if (readable + writable == 0) {
                readable = 1;
            }
            int n = readable + writable;
            boolean canIndirect = n >= 2 && n <= Math.min(rig.driver.size(), indirectMax);
            if (n > rig.driver.size() && !canIndirect) {
                return;
            }
            int seq = nextSeq;
            BufferChain chain = new BufferChain(2);
            List<DmaBuffer> allocations = new ArrayList<>();
            List<DmaBuffer> ws = new ArrayList<>();
            byte[] data = new byte[0];
            long capacity = 0;
            for (int i = 0; i < n; i++) {
                // the first element is never empty: its address identifies the buffer to the harness
                int len = i == 0 ? 1 + (a + b) % 40 : (a * 31 + b * 17 + i * 7) % 48;
                DmaBuffer buf = rig.pool.allocate(Math.max(len, 1), 8);
                DmaBuffer view = new DmaBuffer(buf.iova(), buf.segment().asSlice(0, len));
                allocations.add(buf);
                if (i < readable) {
                    byte[] bytes = new byte[len];
                    for (int k = 0; k < len; k++) {
                        bytes[k] = (byte) (seq * 131 + i * 17 + k);
                    }
                    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, buf.segment(), 0, len);
                    data = concat(data, bytes);
                    chain.readable(view);
                } else {
                    chain.writable(view);
                    capacity += len;
                    ws.add(view);
                }
            }
            int freeBefore = rig.driver.freeDescriptors();
            if (!(stage ? rig.driver.stage(chain, seq) : rig.driver.add(chain, seq))) {
                assertThat(freeBefore).as("add refused with room").isLessThan(canIndirect ? 1 : n);
                allocations.forEach(rig.pool::free);
                return;
            }
            DmaBuffer first = allocations.get(0);
            seqByAddress.put(first.segment().address(), seq);
            offered.put(seq, new Offered(allocations, ws, data, capacity, new int[] {-1}));
            nextSeq++;
            staged++;
            if (!stage) {
                availPublished();
            }
        }

        void availPublished() {
            addedNotPopped += staged;
            staged = 0;
        }

        void take() {
            // a chain of its own per popped buffer, so it can be held until returned
            DescriptorChain c = rig.device.newChain();
            if (!rig.device.pop(c)) {
                assertThat(addedNotPopped).isZero();
                return;
            }
            assertThat(addedNotPopped).as("the device popped a buffer that is only staged").isPositive();
            addedNotPopped--;
            long address = c.readableCount() > 0
                    ? c.readableSegment(0).address() + c.readableOffset(0)
                    : c.writableSegment(0).address() + c.writableOffset(0);
            Integer seq = seqByAddress.get(address);
            assertThat(seq).as("chain %s is no buffer the driver offered", c).isNotNull();
            Offered o = offered.get(seq);
            byte[] got = new byte[(int) c.readableBytes()];
            c.copyFromReadable(0, MemorySegment.ofArray(got), 0, got.length);
            assertThat(got).isEqualTo(o.data());
            assertThat(c.writableBytes()).isEqualTo(o.capacity());
            popped.add(new Popped(c, seq));
        }

        void giveBack(int a, int b) {
            if (popped.isEmpty()) {
                return;
            }
            Popped p = popped.remove(inOrder ? 0 : a % popped.size());
            Offered o = offered.get(p.seq());
            int length = (int) (b % (o.capacity() + 1));
            // the device writes a pattern it can recognise: the length does not say where data came from
            byte[] pattern = new byte[length];
            for (int k = 0; k < length; k++) {
                pattern[k] = (byte) ~(p.seq() + k);
            }
            // zero copy: write through the writable parts the device resolved
            assertThat(p.chain().copyToWritable(0, MemorySegment.ofArray(pattern), 0, length)).isEqualTo(length);
            o.written()[0] = length;
            rig.device.pushUsed(p.chain().id(), length);
            pushedNotPublished++;
            if (a % 3 == 0) {
                publish();
            }
        }

        void publish() {
            rig.device.publishUsed();
            publishedNotPolled += pushedNotPublished;
            pushedNotPublished = 0;
            rig.device.needsNotify();
        }

        void poll() {
            Object token = rig.driver.pollUsed();
            if (token == null) {
                assertThat(publishedNotPolled).isZero();
                return;
            }
            publishedNotPolled--;
            int seq = (Integer) token;
            Offered o = offered.remove(seq);
            assertThat(o).as("buffer %d came back twice", seq).isNotNull();
            int length = rig.driver.lastUsedLength();
            assertThat(length).isEqualTo(o.written()[0]);
            byte[] got = new byte[length];
            int at = 0;
            for (DmaBuffer w : o.writable()) {
                int n = (int) Math.min(w.size(), length - at);
                MemorySegment.copy(w.segment(), ValueLayout.JAVA_BYTE, 0, got, at, n);
                at += n;
            }
            for (int k = 0; k < length; k++) {
                assertThat(got[k]).isEqualTo((byte) ~(seq + k));
            }
            o.allocations().forEach(rig.pool::free);
            seqByAddress.values().remove(seq);
            completed++;
        }

        void callbacks(boolean enable) {
            if (enable) {
                assertThat(rig.driver.enableCallbacks()).isEqualTo(publishedNotPolled > 0);
            } else {
                rig.driver.disableCallbacks();
            }
        }

        void notifications(boolean enable) {
            if (enable) {
                assertThat(rig.device.enableNotifications()).isEqualTo(addedNotPopped > 0);
            } else {
                rig.device.disableNotifications();
            }
        }

        void drain() {
            rig.driver.publish();
            availPublished();
            while (addedNotPopped > 0) {
                take();
            }
            while (!popped.isEmpty()) {
                giveBack(0, 7);
            }
            publish();
            while (publishedNotPolled > 0) {
                poll();
            }
            assertThat(rig.driver.pollUsed()).isNull();
        }

        static byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
