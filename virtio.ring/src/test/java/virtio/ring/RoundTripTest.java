package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static virtio.spec.VirtioFeatures.VIRTIO_F_INDIRECT_DESC;
import static virtio.spec.VirtioFeatures.VIRTIO_F_IN_ORDER;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real driver side and the real device side over one ring, for both layouts. */
class RoundTripTest {

    @ParameterizedTest
    @EnumSource(Layout.class)
    void deviceSeesReadableDataAndDriverGetsWrittenLengthAndToken(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            DmaBuffer out = rig.text("hello ");
            DmaBuffer out2 = rig.text("world");
            DmaBuffer in = rig.buffer(32);
            assertThat(rig.driver.add(new BufferChain(4).readable(out).readable(out2).writable(in), "tok")).isTrue();

            DescriptorChain c = rig.device.pop();
            assertThat(c.readableCount()).isEqualTo(2);
            assertThat(c.writableCount()).isEqualTo(1);
            assertThat(c.writableBytes()).isEqualTo(32);
            assertThat(Rig.readAll(c)).isEqualTo("hello world");
            long n = Rig.write(c, "reply");
            rig.device.returnUsed(c, (int) n);

            assertThat(rig.driver.pollUsed()).isEqualTo("tok");
            assertThat(rig.driver.lastUsedLength()).isEqualTo(5);
            assertThat(Rig.string(in, 5)).isEqualTo("reply");
            assertThat(rig.driver.pollUsed()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void writableSegmentsAreZeroCopySlicesOfDriverMemory(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            DmaBuffer in = rig.buffer(16);
            rig.driver.add(new BufferChain(1).writable(in), 1);
            DescriptorChain c = rig.device.pop();
            c.writableSegment(0).set(java.lang.foreign.ValueLayout.JAVA_BYTE, c.writableOffset(0) + 3, (byte) 42);
            assertThat(in.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) 42);
            assertThat(c.writable(0).byteSize()).isEqualTo(16);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void indirectChainTakesOneRingDescriptor(Layout layout) {
        try (Rig rig = layout.rig(8, VIRTIO_F_INDIRECT_DESC)) {
            BufferChain chain = new BufferChain(4).readable(rig.text("a")).readable(rig.text("b")).writable(rig.buffer(8));
            rig.driver.add(chain, "x");
            assertThat(rig.driver.freeDescriptors()).isEqualTo(7);
            DescriptorChain c = rig.device.pop();
            assertThat(c.descriptorCount()).isEqualTo(1);
            assertThat(Rig.readAll(c)).isEqualTo("ab");
            rig.device.returnUsed(c, 8);
            assertThat(rig.driver.pollUsed()).isEqualTo("x");
            assertThat(rig.driver.lastUsedLength()).isEqualTo(8);
            assertThat(rig.driver.freeDescriptors()).isEqualTo(8);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void withoutIndirectAChainTakesOneDescriptorPerElement(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.add(new BufferChain(4).readable(rig.text("a")).readable(rig.text("b")).writable(rig.buffer(8)), "x");
            assertThat(rig.driver.freeDescriptors()).isEqualTo(5);
            assertThat(rig.device.pop().descriptorCount()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void fullQueueRefusesAddUntilABufferComesBack(Layout layout) {
        try (Rig rig = layout.rig(4)) {
            DmaBuffer b = rig.buffer(8);
            for (int i = 0; i < 4; i++) {
                assertThat(rig.driver.add(new BufferChain(1).readable(b), i)).isTrue();
            }
            assertThat(rig.driver.add(new BufferChain(1).readable(b), 4)).isFalse();
            DescriptorChain c = rig.device.pop();
            rig.device.returnUsed(c, 0);
            assertThat(rig.driver.pollUsed()).isEqualTo(0);
            assertThat(rig.driver.add(new BufferChain(1).readable(b), 4)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void chainLongerThanQueueIsTheCallersBug(Layout layout) {
        try (Rig rig = layout.rig(2)) {
            DmaBuffer b = rig.buffer(8);
            BufferChain chain = new BufferChain(3).readable(b).readable(b).readable(b);
            assertThatThrownBy(() -> rig.driver.add(chain, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> rig.driver.add(new BufferChain(1), 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void outOfOrderCompletionReturnsEachTokenOnce(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            for (int i = 0; i < 3; i++) {
                rig.driver.add(new BufferChain(2).readable(rig.text("r" + i)).writable(rig.buffer(4)), "t" + i);
            }
            int[] ids = new int[3];
            for (int i = 0; i < 3; i++) {
                ids[i] = rig.device.pop().id();
            }
            rig.device.pushUsed(ids[2], 2);
            rig.device.pushUsed(ids[0], 0);
            rig.device.pushUsed(ids[1], 1);
            rig.device.publishUsed();
            List<Object> got = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            rig.driver.drainUsed((t, len) -> {
                got.add(t);
                lengths.add(len);
            }, 10);
            assertThat(got).containsExactly("t2", "t0", "t1");
            assertThat(lengths).containsExactly(2, 0, 1);
            assertThat(rig.driver.freeDescriptors()).isEqualTo(8);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void usedEntriesAreInvisibleUntilPublished(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.add(new BufferChain(1).writable(rig.buffer(4)), "a");
            rig.driver.add(new BufferChain(1).writable(rig.buffer(4)), "b");
            int a = rig.device.pop().id();
            int b = rig.device.pop().id();
            rig.device.pushUsed(a, 1);
            rig.device.pushUsed(b, 2);
            assertThat(rig.driver.pollUsed()).isNull();
            rig.device.publishUsed();
            assertThat(rig.driver.pollUsed()).isEqualTo("a");
            assertThat(rig.driver.pollUsed()).isEqualTo("b");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void queueWrapsManyTimes(Layout layout) {
        try (Rig rig = layout.rig(4)) {
            DmaBuffer out = rig.text("ping");
            DmaBuffer in = rig.buffer(8);
            for (int i = 0; i < 70_000; i++) {
                BufferChain chain = new BufferChain(2).readable(out);
                if (i % 3 == 0) {
                    chain.writable(in);
                }
                assertThat(rig.driver.add(chain, i)).isTrue();
                DescriptorChain c = rig.device.pop();
                rig.device.returnUsed(c, (int) Math.min(c.writableBytes(), 3));
                assertThat(rig.driver.pollUsed()).isEqualTo(i);
                assertThat(rig.driver.lastUsedLength()).isEqualTo(i % 3 == 0 ? 3 : 0);
            }
            assertThat(rig.device.isBroken()).isFalse();
            assertThat(rig.driver.isBroken()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void detachUnusedReturnsEveryOutstandingTokenAndResetsTheRing(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            for (int i = 0; i < 5; i++) {
                rig.driver.add(new BufferChain(1).readable(rig.buffer(4)), i);
            }
            rig.device.returnUsed(rig.device.pop(), 0);
            assertThat(rig.driver.pollUsed()).isEqualTo(0);
            List<Object> detached = new ArrayList<>();
            for (Object t; (t = rig.driver.detachUnused()) != null; ) {
                detached.add(t);
            }
            assertThat(detached).containsExactlyInAnyOrder(1, 2, 3, 4);
            assertThat(rig.driver.freeDescriptors()).isEqualTo(8);
            // after a device reset, a fresh device side starts over on the same ring
            DeviceQueue fresh = rig.reopen(VirtqueueState.initial(rig.features));
            rig.driver.add(new BufferChain(1).readable(rig.text("again")), "again");
            assertThat(Rig.readAll(fresh.pop())).isEqualTo("again");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void stateMovesAQueueToAnotherDeviceInstance(Layout layout) {
        try (Rig rig = layout.rig(4)) {
            for (int i = 0; i < 6; i++) {
                rig.driver.add(new BufferChain(1).readable(rig.text("m" + i)), i);
                rig.device.returnUsed(rig.device.pop(), 0);
                rig.driver.pollUsed();
            }
            rig.driver.add(new BufferChain(1).readable(rig.text("moved")), "moved");
            VirtqueueState state = rig.device.state();
            DeviceQueue other = rig.reopen(state);
            DescriptorChain c = other.pop();
            assertThat(Rig.readAll(c)).isEqualTo("moved");
            other.returnUsed(c, 0);
            assertThat(rig.driver.pollUsed()).isEqualTo("moved");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void inOrderDeviceMayReportABatchWithOneEntry(Layout layout) {
        try (Rig rig = layout.rig(8, VIRTIO_F_IN_ORDER)) {
            DmaBuffer[] in = new DmaBuffer[3];
            for (int i = 0; i < 3; i++) {
                in[i] = rig.buffer(10 + i);
                rig.driver.add(new BufferChain(1).writable(in[i]), "b" + i);
            }
            int last = -1;
            for (int i = 0; i < 3; i++) {
                last = rig.device.pop().id();
            }
            InOrderBatch.writeSingleUsed(rig, layout, last, 5);
            List<String> got = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            rig.driver.drainUsed((t, len) -> {
                got.add((String) t);
                lengths.add(len);
            }, 10);
            // skipped buffers count as used completely (2.7.9, 2.8.13): their whole writable length
            assertThat(got).containsExactly("b0", "b1", "b2");
            assertThat(lengths).containsExactly(10, 11, 5);
            assertThat(rig.driver.freeDescriptors()).isEqualTo(8);
            assertThat(rig.driver.isBroken()).isFalse();
            // and the ring goes on from where the batch ended
            rig.driver.add(new BufferChain(1).readable(rig.text("next")), "next");
            assertThat(Rig.readAll(rig.device.pop())).isEqualTo("next");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void inOrderDriverUsesDescriptorsInRingOrder(Layout layout) {
        try (Rig rig = layout.rig(4, VIRTIO_F_IN_ORDER)) {
            for (int round = 0; round < 5; round++) {
                rig.driver.add(new BufferChain(2).readable(rig.text("a")).readable(rig.text("b")), round);
                DescriptorChain c = rig.device.pop();
                if (layout == Layout.SPLIT) {
                    assertThat(c.id()).isEqualTo((round * 2) % 4);
                }
                rig.device.returnUsed(c, 0);
                assertThat(rig.driver.pollUsed()).isEqualTo(round);
            }
        }
    }
}
