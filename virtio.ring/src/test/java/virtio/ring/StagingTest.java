package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioFeatures.VIRTIO_F_INDIRECT_DESC;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Staged buffers (2.7.13, 2.8.21): written into the ring but exposed to the device only by the
 * next publish, add or kickPrepare, a whole batch with one store.
 */
class StagingTest {

    @ParameterizedTest
    @EnumSource(Layout.class)
    void stagedBuffersStayInvisibleUntilPublished(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            for (int i = 0; i < 3; i++) {
                assertThat(rig.driver.stage(new BufferChain(1).readable(rig.text("s" + i)), i)).isTrue();
            }
            assertThat(rig.device.pop()).isNull();
            assertThat(rig.device.enableNotifications()).isFalse();
            rig.driver.publish();
            assertThat(rig.device.enableNotifications()).isTrue();
            for (int i = 0; i < 3; i++) {
                DescriptorChain c = rig.device.pop();
                assertThat(Rig.readAll(c)).isEqualTo("s" + i);
                rig.device.pushUsed(c.id(), 0);
            }
            assertThat(rig.device.pop()).isNull();
            rig.device.publishUsed();
            for (int i = 0; i < 3; i++) {
                assertThat(rig.driver.pollUsed()).isEqualTo(i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void kickPreparePublishesAndCountsTheStagedBatch(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.stage(new BufferChain(1).readable(rig.text("a")), "a");
            rig.driver.stage(new BufferChain(2).readable(rig.text("b")).writable(rig.buffer(4)), "b");
            assertThat(rig.driver.kickPrepare()).isTrue();
            assertThat(Rig.readAll(rig.device.pop())).isEqualTo("a");
            assertThat(Rig.readAll(rig.device.pop())).isEqualTo("b");
            assertThat(rig.device.pop()).isNull();
            // nothing new since: no second kick
            assertThat(rig.driver.kickPrepare()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void addPublishesEveryBufferStagedBeforeIt(Layout layout) {
        try (Rig rig = layout.rig(8, VIRTIO_F_INDIRECT_DESC)) {
            rig.driver.stage(new BufferChain(2).readable(rig.text("x")).readable(rig.text("y")), "xy");
            rig.driver.add(new BufferChain(1).readable(rig.text("z")), "z");
            assertThat(Rig.readAll(rig.device.pop())).isEqualTo("xy");
            assertThat(Rig.readAll(rig.device.pop())).isEqualTo("z");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aBatchIsExposedByOneStore(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            MemorySegment ring = layout == Layout.SPLIT
                    ? rig.at(rig.driver.driverAddress(), 4 + 2 * 8)
                    : rig.at(rig.driver.descAddress(), 16L * 8);
            byte[] before = ring.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            rig.driver.stage(new BufferChain(1).readable(rig.text("p")), 1);
            rig.driver.stage(new BufferChain(1).readable(rig.text("q")), 2);
            if (layout == Layout.SPLIT) {
                // entries written, avail idx (bytes 2-3) untouched
                assertThat(ring.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2)).isEqualTo((short) 0);
            } else {
                // the first head's flags (bytes 14-15 of slot 0) untouched, so the device sees nothing
                assertThat(ring.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 14)).isEqualTo(
                        MemorySegment.ofArray(before).get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 14));
            }
            rig.driver.publish();
            if (layout == Layout.SPLIT) {
                assertThat(ring.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2)).isEqualTo((short) 2);
            }
            assertThat(Rig.readAll(rig.device.pop())).isEqualTo("p");
            assertThat(Rig.readAll(rig.device.pop())).isEqualTo("q");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void publishWithNothingStagedChangesNothing(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.publish();
            assertThat(rig.device.pop()).isNull();
            assertThat(rig.driver.kickPrepare()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void stagedBuffersAreDetachedOnReset(Layout layout) {
        try (Rig rig = layout.rig(8)) {
            rig.driver.stage(new BufferChain(1).readable(rig.text("gone")), "gone");
            assertThat(rig.driver.detachUnused()).isEqualTo("gone");
            assertThat(rig.driver.detachUnused()).isNull();
            assertThat(rig.driver.freeDescriptors()).isEqualTo(8);
            // the reset ring starts clean: a later add is the first buffer the device sees
            rig.driver.add(new BufferChain(1).readable(rig.text("new")), "new");
            DeviceQueue fresh = rig.reopen(VirtqueueState.initial(rig.features));
            assertThat(Rig.readAll(fresh.pop())).isEqualTo("new");
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void publishingIntoVanishedMemoryBreaksTheQueueWithoutThrowing(Layout layout) {
        Rig rig = layout.rig(8);
        try {
            assertThat(rig.driver.stage(new BufferChain(1).readable(rig.text("late")), "late")).isTrue();
        } finally {
            rig.close();
        }
        rig.driver.publish();
        assertThat(rig.driver.brokenReason()).isEqualTo(RingError.MEMORY_FAULT);
        assertThat(rig.driver.kickPrepare()).isFalse();
        assertThat(rig.driver.add(new BufferChain(1).readable(0x4000_0000L, 1), "refused")).isFalse();
        assertThat(rig.driver.errors().total()).isEqualTo(1);
    }
}
