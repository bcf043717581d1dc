package virtio.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static virtio.spec.VirtioFeatures.VIRTIO_F_EVENT_IDX;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import virtio.spec.NotificationData;

/** Notification suppression in both directions, with flags and with EVENT_IDX, for both layouts. */
class NotificationTest {

    static Stream<Arguments> variants() {
        return Stream.of(Layout.values()).flatMap(l -> Stream.of(Arguments.of(l, false), Arguments.of(l, true)));
    }

    private static Rig rig(Layout layout, boolean eventIdx) {
        return eventIdx ? layout.rig(8, VIRTIO_F_EVENT_IDX) : layout.rig(8);
    }

    private static void addOne(Rig rig, Object token) {
        rig.driver.add(new BufferChain(1).writable(rig.buffer(8)), token);
    }

    @ParameterizedTest(name = "{0} eventIdx={1}")
    @MethodSource("variants")
    void driverKicksAFreshDevice(Layout layout, boolean eventIdx) {
        try (Rig rig = rig(layout, eventIdx)) {
            addOne(rig, 1);
            assertThat(rig.driver.kickPrepare()).isTrue();
            assertThat(rig.driver.kickPrepare()).as("nothing added since").isFalse();
        }
    }

    @ParameterizedTest(name = "{0} eventIdx={1}")
    @MethodSource("variants")
    void deviceThatDisabledNotificationsIsNotKicked(Layout layout, boolean eventIdx) {
        try (Rig rig = rig(layout, eventIdx)) {
            rig.device.disableNotifications();
            addOne(rig, 1);
            assertThat(rig.driver.kickPrepare()).isFalse();
            assertThat(rig.device.enableNotifications()).as("a buffer is pending").isTrue();
            rig.device.pop();
            assertThat(rig.device.enableNotifications()).isFalse();
            addOne(rig, 2);
            assertThat(rig.driver.kickPrepare()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} eventIdx={1}")
    @MethodSource("variants")
    void deviceNotifiesADriverWithCallbacksEnabled(Layout layout, boolean eventIdx) {
        try (Rig rig = rig(layout, eventIdx)) {
            addOne(rig, 1);
            rig.device.returnUsed(rig.device.pop(), 1);
            assertThat(rig.device.needsNotify()).isTrue();
            assertThat(rig.device.needsNotify()).as("nothing published since").isFalse();
        }
    }

    @ParameterizedTest(name = "{0} eventIdx={1}")
    @MethodSource("variants")
    void driverThatDisabledCallbacksIsNotNotified(Layout layout, boolean eventIdx) {
        try (Rig rig = rig(layout, eventIdx)) {
            rig.driver.disableCallbacks();
            addOne(rig, 1);
            addOne(rig, 2);
            rig.device.returnUsed(rig.device.pop(), 1);
            assertThat(rig.device.needsNotify()).isFalse();
            assertThat(rig.driver.enableCallbacks()).as("a used buffer is pending").isTrue();
            assertThat(rig.driver.pollUsed()).isEqualTo(1);
            assertThat(rig.driver.enableCallbacks()).isFalse();
            rig.device.returnUsed(rig.device.pop(), 1);
            assertThat(rig.device.needsNotify()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void eventIdxKicksOnlyForTheFirstBufferAfterTheDeviceCaughtUp(Layout layout) {
        try (Rig rig = layout.rig(8, VIRTIO_F_EVENT_IDX)) {
            assertThat(rig.device.enableNotifications()).isFalse();
            addOne(rig, 1);
            assertThat(rig.driver.kickPrepare()).isTrue();
            addOne(rig, 2);
            assertThat(rig.driver.kickPrepare()).as("device has not caught up yet").isFalse();
            rig.device.pop();
            rig.device.pop();
            addOne(rig, 3);
            assertThat(rig.driver.kickPrepare()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void eventIdxNotifiesOnlyForTheFirstUsedBufferAfterTheDriverCaughtUp(Layout layout) {
        try (Rig rig = layout.rig(8, VIRTIO_F_EVENT_IDX)) {
            for (int i = 0; i < 3; i++) {
                addOne(rig, i);
            }
            assertThat(rig.driver.pollUsed()).isNull();
            rig.device.returnUsed(rig.device.pop(), 1);
            assertThat(rig.device.needsNotify()).isTrue();
            rig.device.returnUsed(rig.device.pop(), 1);
            assertThat(rig.device.needsNotify()).as("driver has not caught up yet").isFalse();
            assertThat(rig.driver.pollUsed()).isEqualTo(0);
            assertThat(rig.driver.pollUsed()).isEqualTo(1);
            assertThat(rig.driver.pollUsed()).isNull();
            rig.device.returnUsed(rig.device.pop(), 1);
            assertThat(rig.device.needsNotify()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void batchOfUsedBuffersIsOneNotification(Layout layout) {
        try (Rig rig = layout.rig(8, VIRTIO_F_EVENT_IDX)) {
            for (int i = 0; i < 4; i++) {
                addOne(rig, i);
            }
            for (int i = 0; i < 4; i++) {
                rig.device.pushUsed(rig.device.pop().id(), 0);
            }
            rig.device.publishUsed();
            assertThat(rig.device.needsNotify()).isTrue();
            assertThat(rig.driver.drainUsed((t, l) -> { }, 10)).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void notificationDataNamesTheNextAvailablePosition(Layout layout) {
        try (Rig rig = layout.rig(4)) {
            for (int i = 0; i < 5; i++) {
                addOne(rig, i);
                rig.device.returnUsed(rig.device.pop(), 0);
                rig.driver.pollUsed();
            }
            int data = rig.driver.notificationData(3);
            assertThat(NotificationData.vqn(data)).isEqualTo(3);
            if (layout == Layout.SPLIT) {
                assertThat(NotificationData.splitAvailIdx(data)).isEqualTo(5);
            } else {
                assertThat(NotificationData.nextOff(data)).isEqualTo(1);
                assertThat(NotificationData.nextWrap(data)).isFalse();
            }
        }
    }
}
