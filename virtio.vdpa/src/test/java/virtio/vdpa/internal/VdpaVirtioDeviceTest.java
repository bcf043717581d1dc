package virtio.vdpa.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vdpa.bus.SimpleVdpaDevice;
import vdpa.bus.VdpaCallback;
import vdpa.bus.VqState;
import virtio.bus.ConfigSpace;
import virtio.bus.VirtioNegotiation;
import virtio.bus.VirtqueueCallback;
import virtio.bus.VirtqueueConfig;
import virtio.ring.RingFeatures;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/** The adapter forwards each virtio transport op to the vDPA ops virtio_vdpa would use, in that order. */
class VdpaVirtioDeviceTest {

    private final List<String> log = RecordingVdpaDevice.newLog();
    private final Adapters adapters = new Adapters();
    private final List<Integer> notified = new CopyOnWriteArrayList<>();

    @AfterEach
    void freePools() {
        adapters.close();
    }

    private static VirtqueueConfig queue(int index, VirtqueueCallback cb) {
        long base = 0x4000_0000L + index * 0x10000L;
        return new VirtqueueConfig(index, "q" + index, 64, base, base + 0x1000, base + 0x2000, cb);
    }

    private VdpaVirtioDevice negotiated(RecordingVdpaDevice d) throws Exception {
        VdpaVirtioDevice v = adapters.over(d);
        VirtioNegotiation.reset(v);
        // a driver taking every queue feature: what the device gets is the transport's choice
        VirtioNegotiation.negotiate(v, VirtioNegotiation.QUEUE_FEATURES | VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC), f -> f);
        log.clear();
        return v;
    }

    @Test
    void setupProgramsEachQueueLikeVirtioVdpaSetupVq() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        v.setupQueues(List.of(queue(0, notified::add), queue(2, null)));
        assertThat(log).containsExactly(
                "get_vq_ready 0", "set_vq_num 0 64", "set_vq_address 0", "set_vq_state 0 Split[availIndex=0]",
                "set_vq_cb 0", "set_vq_ready 0 true", "get_vq_ready 0",
                "get_vq_ready 2", "set_vq_num 2 64", "set_vq_address 2", "set_vq_state 2 Split[availIndex=0]",
                "set_vq_cb 2 null", "set_vq_ready 2 true", "get_vq_ready 2");
        assertThat(d.address(2)).containsExactly(0x4002_0000L, 0x4002_1000L, 0x4002_2000L);
        assertThat(d.num(0)).isEqualTo(64);
        assertThat(d.callback(1)).isNull();
    }

    @Test
    void eachQueueInterruptReachesItsOwnCallbackWithItsIndex() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        List<Integer> other = new CopyOnWriteArrayList<>();
        v.setupQueues(List.of(queue(0, notified::add), queue(1, other::add)));
        d.interrupt(1);
        d.interrupt(1);
        d.interrupt(0);
        assertThat(other).containsExactly(1, 1);
        assertThat(notified).containsExactly(0);
    }

    @Test
    void aKickGoesToTheQueueItNames() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        v.setupQueues(List.of(queue(0, null), queue(2, null)));
        VirtioNegotiation.ready(v);
        v.notifyQueue(2);
        assertThat(d.kicks(2)).isEqualTo(1);
        assertThat(d.kicks(0)).isZero();
        assertThat(log).contains("kick_vq 2").doesNotContain("kick_vq 0");
    }

    @Test
    void deleteQueuesStopsEveryQueueClearsItsCallbackAndIsIdempotent() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        v.setupQueues(List.of(queue(0, notified::add), queue(1, notified::add)));
        VdpaCallback stale = d.callback(0);
        log.clear();
        v.deleteQueues();
        assertThat(log).containsExactly("set_vq_ready 0 false", "set_vq_cb 0 null", "set_vq_ready 1 false", "set_vq_cb 1 null");
        stale.interrupt();
        assertThat(notified).isEmpty();
        log.clear();
        v.deleteQueues();
        assertThat(log).isEmpty();
    }

    @Test
    void noDriverCallbackRunsAfterReset() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        v.setupQueues(List.of(queue(0, notified::add)));
        VdpaCallback captured = d.callback(0); // what a device worker may still hold
        v.reset();
        captured.interrupt();
        assertThat(notified).isEmpty();
        assertThat(d.getVqReady(0)).isFalse();
    }

    @Test
    void resetWaitsForACallbackInFlight() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        v.setupQueues(List.of(queue(0, i -> {
            entered.countDown();
            await(release);
        })));
        Thread worker = Thread.ofPlatform().start(() -> d.interrupt(0));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> reset = CompletableFuture.runAsync(v::reset);
        Thread.sleep(100);
        assertThat(reset).as("reset returned while a callback was running").isNotDone();
        release.countDown();
        reset.get(5, TimeUnit.SECONDS);
        worker.join();
    }

    @Test
    void aDriverMayResetFromItsOwnCallback() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        AtomicInteger calls = new AtomicInteger();
        v.setupQueues(List.of(queue(0, i -> {
            calls.incrementAndGet();
            v.reset();
        })));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> d.interrupt(0));
        assertThat(calls).hasValue(1);
        assertThat(d.getStatus()).isZero();
    }

    @Test
    void aQueueTheDeviceRefusesSetsUpNoneOfTheCall() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        d.refuseAddressOfVq = 1;
        assertThatThrownBy(() -> v.setupQueues(List.of(queue(0, notified::add), queue(1, notified::add))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vq 1 address refused");
        assertThat(d.getVqReady(0)).isFalse();
        assertThat(d.callback(0)).isNull();
        d.refuseAddressOfVq = -1;
        v.setupQueues(List.of(queue(0, notified::add))); // queue 0 is free again
        assertThat(d.getVqReady(0)).isTrue();
    }

    @Test
    void aQueueAlreadyReadyOnTheDeviceIsRefused() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        d.setVqReady(1, true);
        assertThatThrownBy(() -> v.setupQueues(List.of(queue(1, null))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already ready");
    }

    @Test
    void aPackedRingStartsFromThePackedInitialState() throws Exception {
        long packed = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
        RecordingVdpaDevice d = new Devices.DmaMap(log, 3, SimpleVdpaDevice.FEATURES | packed);
        VdpaVirtioDevice v = negotiated(d);
        assertThat(v.driverFeatures() & packed).isEqualTo(packed);
        v.setupQueues(List.of(queue(0, null)));
        assertThat(d.packedState(0)).isEqualTo(new VqState.Packed(0, true, 0, true));
    }

    @Test
    void aPackedDriverAreaNeedsFourBytesOfAlignmentWhereASplitAvailRingNeedsTwo() throws Exception {
        long packed = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);
        RecordingVdpaDevice d = new Devices.DmaMap(log, 3, SimpleVdpaDevice.FEATURES | packed);
        VdpaVirtioDevice v = negotiated(d);
        // 2.8.10.1: the driver event suppression structure is 4-byte aligned; 0x...1002 is only 2
        VirtqueueConfig q = new VirtqueueConfig(0, "q0", 64, 0x4000_0000L, 0x4000_1002L, 0x4000_2000L, null);
        assertThatThrownBy(() -> v.setupQueues(List.of(q))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("packed ring driver area 0x40001002 is not 4-byte aligned");
        assertThat(log).doesNotContain("set_vq_address 0");

        RecordingVdpaDevice split = new Devices.DmaMap(log, 3, SimpleVdpaDevice.FEATURES);
        VdpaVirtioDevice s = negotiated(split);
        s.setupQueues(List.of(q)); // a split available ring is 2-byte aligned (2.7)
        assertThat(split.address(0)).containsExactly(0x4000_0000L, 0x4000_1002L, 0x4000_2000L);
    }

    @Test
    void finalizeKeepsTheTransportBitsTheRingCoreImplementsBarNotificationData() throws Exception {
        long mac = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC);
        long notificationData = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_NOTIFICATION_DATA);
        // the ring core's set, less what a bare kick cannot carry
        long keep = (RingFeatures.TRANSPORT_FEATURES & ~notificationData) | mac;
        long drop = (VirtioFeatures.VIRTIO_TRANSPORT_F_MASK & ~RingFeatures.TRANSPORT_FEATURES) | notificationData;
        assertThat(drop & VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_RING_RESET, VirtioFeatures.VIRTIO_F_ADMIN_VQ))
                .isNotZero();
        RecordingVdpaDevice d = new Devices.DmaMap(log, 3, keep | drop);
        VdpaVirtioDevice v = adapters.over(d);
        v.setStatus(DeviceStatus.ACKNOWLEDGE.value());
        v.setStatus(DeviceStatus.ACKNOWLEDGE.value() | DeviceStatus.DRIVER.value());
        assertThat(v.finalizeFeatures(keep | drop)).isEqualTo(keep);
        assertThat(d.getDriverFeatures()).isEqualTo(keep);
    }

    @Test
    void configChangesReachTheHandlerAfterAResetClearedTheDevicesCallback() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = adapters.over(d);
        AtomicInteger changes = new AtomicInteger();
        v.setConfigChangeHandler(changes::incrementAndGet);
        VirtioNegotiation.reset(v); // the fixture drops its config callback on reset
        VirtioNegotiation.negotiate(v, VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC), f -> f);
        VirtioNegotiation.ready(v);
        assertThat(d.configCallback()).isNotNull();
        d.deviceSetsMac(new byte[] {2, 0, 0, 0, 0, 1});
        assertThat(changes).hasValue(1);
        assertThat(ConfigSpace.read(v, 0, 6)).containsExactly(2, 0, 0, 0, 0, 1);
    }

    @Test
    void theDmaPoolIsMappedAgainAfterAResetThatDroppedIt() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        d.dropsMapsOnReset = true;
        VdpaVirtioDevice v = adapters.over(d);
        v.reset();
        assertThat(d.mappings()).singleElement()
                .satisfies(m -> assertThat(m.iova()).isEqualTo(v.dmaPool().iovaBase()));
        assertThat(d.space.mappings()).hasSize(1);
    }

    @Test
    void aDeviceWithResetMapKeepsItsMappingAndIsNotRemapped() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMapResetMap(log);
        VdpaVirtioDevice v = adapters.over(d);
        log.clear();
        v.reset();
        assertThat(log).containsExactly("reset", "set_config_cb");
        assertThat(d.space.mappings()).hasSize(1);
    }

    @Test
    void writingStatusZeroIsAReset() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        v.setStatus(0);
        assertThat(log).contains("reset").doesNotContain("set_status 0");
        assertThat(d.getStatus()).isZero();
    }

    @Test
    void afterDetachNothingReachesTheDevice() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        VdpaVirtioDevice v = negotiated(d);
        v.setupQueues(List.of(queue(0, notified::add)));
        VdpaCallback captured = d.callback(0);
        v.detach();
        log.clear();
        v.notifyQueue(0);
        v.reset();
        v.deleteQueues();
        captured.interrupt();
        assertThat(v.getStatus()).isZero();
        assertThat(log).isEmpty();
        assertThat(notified).isEmpty();
        assertThatThrownBy(() -> v.setStatus(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("removed");
        assertThatThrownBy(() -> v.setupQueues(List.of(queue(1, null)))).isInstanceOf(IllegalStateException.class);
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
