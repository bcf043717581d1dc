package virtio.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.DeviceContext;
import driver.core.ProbeDeferredException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import virtio.spec.DeviceStatus;
import virtio.spec.VirtioFeatures;
import virtio.spec.VirtioNet;

/** The bus's initialization and teardown sequence, run by AbstractVirtioDriver against a device that behaves like one. */
class AbstractVirtioDriverTest {

    static final long V1 = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_VERSION_1);
    static final long MAC = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_MAC);
    static final long EVENT_IDX = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_EVENT_IDX);
    static final long PACKED = VirtioFeatures.bit(VirtioFeatures.VIRTIO_F_RING_PACKED);

    static final DeviceContext CTX = new DeviceContext() {
        @Override public String bus() { return "virtio"; }
        @Override public String name() { return "virtio0"; }
        @Override public Map<String, Object> properties() { return Map.of(); }
    };

    /** A driver that records what it saw; its probe behaviour is set per test. */
    static class RecordingDriver extends AbstractVirtioDriver {
        final long table;
        final List<String> events = new CopyOnWriteArrayList<>(); // config callbacks come from other threads
        long featuresAtProbe = -1;
        int statusAtProbe = -1;
        Exception failWith;
        long clearInValidate;
        boolean setsDriverOkItself;
        boolean setsUpQueue = true;

        RecordingDriver(long table) {
            this.table = table;
        }

        @Override public long features() { return table; }

        @Override
        protected long validate(VirtioDevice device, long features) {
            events.add("validate");
            return features & ~clearInValidate;
        }

        @Override
        protected void probeNegotiated(VirtioDevice device, DeviceContext context) throws Exception {
            featuresAtProbe = device.driverFeatures();
            statusAtProbe = device.getStatus();
            if (setsUpQueue) {
                device.setupQueues(List.of(new VirtqueueConfig(0, "rx", 128, 0x1000, 0x2000, 0x3000, i -> events.add("vq" + i))));
            }
            if (failWith != null) {
                throw failWith;
            }
            if (setsDriverOkItself) {
                device.setStatus(device.getStatus() | DeviceStatus.DRIVER_OK.value());
            }
            events.add("probe");
        }

        @Override
        protected void removeNegotiated(VirtioDevice device, DeviceContext context) {
            events.add("remove");
        }

        @Override protected void configChanged(VirtioDevice device) { events.add("config"); }
        @Override protected void needsReset(VirtioDevice device) { events.add("needs-reset"); }
    }

    @Test
    void probeWalksTheStatusInSpecOrderAndEndsDriverOk() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.probe(dev, CTX);
        assertThat(dev.resets()).isEqualTo(1);
        assertThat(dev.statusWrites()).containsExactly(0x1, 0x3, 0xb, 0xf);
        assertThat(drv.statusAtProbe).isEqualTo(0xb);
        assertThat(dev.getStatus()).isEqualTo(0xf);
    }

    @Test
    void negotiatedFeaturesAreTheIntersectionPlusTheTransportBitsADriverCannotRefuse() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net(); // MAC, V1, EVENT_IDX, INDIRECT_DESC
        long tso4 = VirtioFeatures.bit(VirtioNet.VIRTIO_NET_F_GUEST_TSO4); // not offered
        RecordingDriver drv = new RecordingDriver(MAC | EVENT_IDX | tso4);
        drv.probe(dev, CTX);
        assertThat(drv.featuresAtProbe).isEqualTo(MAC | V1 | EVENT_IDX); // INDIRECT_DESC is not in the table
        assertThat(drv.featuresAtProbe & tso4).isZero();
    }

    @Test
    void transportBitsTheRingCannotDoAreDropped() throws Exception {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, V1 | PACKED | EVENT_IDX, V1 | EVENT_IDX, 8, 256);
        RecordingDriver drv = new RecordingDriver(PACKED | EVENT_IDX);
        drv.probe(dev, CTX);
        assertThat(drv.featuresAtProbe).isEqualTo(V1 | EVENT_IDX);
    }

    @Test
    void aDriverWhoseTableLeavesOutPackedRingsGetsSplitRings() throws Exception {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, V1 | PACKED | EVENT_IDX | MAC, V1 | PACKED | EVENT_IDX, 8, 256);
        RecordingDriver drv = new RecordingDriver(MAC | EVENT_IDX);
        drv.probe(dev, CTX);
        assertThat(drv.featuresAtProbe).isEqualTo(V1 | EVENT_IDX | MAC);
        assertThat(dev.driverFeatures() & PACKED).isZero();
    }

    @Test
    void platformBitsAreAcceptedWhateverTheTableAsTheKernelDoes() throws Exception {
        long platform = VirtioFeatures.bits(VirtioFeatures.VIRTIO_F_ACCESS_PLATFORM, VirtioFeatures.VIRTIO_F_ORDER_PLATFORM);
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, V1 | platform | MAC, V1 | platform, 8, 256);
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.probe(dev, CTX);
        // spec 6.1: a driver MUST accept VERSION_1 and SHOULD accept ACCESS_PLATFORM and ORDER_PLATFORM
        assertThat(drv.featuresAtProbe).isEqualTo(V1 | platform | MAC);
    }

    @Test
    void aFailureAfterTheDriversProbeRunsItsRemoveBeforeTheDeviceIsFailed() {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC) {
            @Override
            protected void probeNegotiated(VirtioDevice device, DeviceContext context) throws Exception {
                super.probeNegotiated(device, context);
                dev.deviceNeedsReset(); // DRIVER_OK can no longer be set
            }
        };
        assertThatThrownBy(() -> drv.probe(dev, CTX)).isInstanceOf(NegotiationException.class)
                .hasMessageContaining("not ready for DRIVER_OK");
        assertThat(drv.events).containsSubsequence("probe", "remove");
        assertThat(DeviceStatus.FAILED.in(dev.getStatus())).isTrue();
    }

    @Test
    void legacyDeviceFailsProbeWithReasonAndFailedStatus() {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, MAC, 0, 8, 64);
        RecordingDriver drv = new RecordingDriver(MAC);
        assertThatThrownBy(() -> drv.probe(dev, CTX)).isInstanceOf(NegotiationException.class)
                .hasMessageContaining("VIRTIO_F_VERSION_1");
        assertThat(DeviceStatus.FAILED.in(dev.getStatus())).isTrue();
        assertThat(drv.events).doesNotContain("probe");
    }

    @Test
    void deviceRefusingFeaturesOkFailsProbe() {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, V1 | MAC, V1, 8, 64) {
            @Override
            protected boolean acceptable(long features) {
                return (features & MAC) == 0; // this device insists MAC is not used
            }
        };
        RecordingDriver drv = new RecordingDriver(MAC);
        assertThatThrownBy(() -> drv.probe(dev, CTX)).isInstanceOf(NegotiationException.class)
                .hasMessageContaining("FEATURES_OK did not stick");
        assertThat(dev.getStatus()).isEqualTo(0x83);
    }

    @Test
    void aTransportThatDropsVersion1FailsProbe() {
        InMemoryVirtioDevice dev = new InMemoryVirtioDevice(1, 0, V1 | MAC, 0, 8, 64);
        assertThatThrownBy(() -> new RecordingDriver(MAC).probe(dev, CTX)).isInstanceOf(NegotiationException.class)
                .hasMessageContaining("VIRTIO_F_VERSION_1 was dropped");
    }

    @Test
    void validateMayClearBitsAndTheyAreWrittenAgain() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.clearInValidate = MAC;
        drv.probe(dev, CTX);
        assertThat(drv.featuresAtProbe & MAC).isZero();
        assertThat(dev.driverFeatures() & MAC).isZero();
    }

    @Test
    void failedDriverProbeSetsFailedAndTearsDownQueues() {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.failWith = new IllegalStateException("no memory for rings");
        assertThatThrownBy(() -> drv.probe(dev, CTX)).hasMessage("no memory for rings");
        assertThat(DeviceStatus.FAILED.in(dev.getStatus())).isTrue();
        assertThat(dev.queues()).isEmpty();
        assertThat(dev.hasConfigHandler()).isFalse();
    }

    @Test
    void deferredProbeIsPassedThroughAndTheNextProbeStartsFromReset() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.failWith = new ProbeDeferredException("waiting for a NetDevice registry");
        assertThatThrownBy(() -> drv.probe(dev, CTX)).isInstanceOf(ProbeDeferredException.class);
        drv.failWith = null;
        drv.probe(dev, CTX);
        assertThat(dev.getStatus()).isEqualTo(0xf);
    }

    @Test
    void driverSettingDriverOkItselfIsRespected() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.setsDriverOkItself = true;
        drv.probe(dev, CTX);
        assertThat(dev.resets()).isEqualTo(1);
        assertThat(dev.statusWrites()).containsExactly(0x1, 0x3, 0xb, 0xf);
    }

    @Test
    void configChangesDuringProbeAreDeliveredOnceAfterIt() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC) {
            @Override
            protected void probeNegotiated(VirtioDevice device, DeviceContext context) throws Exception {
                dev.deviceWritesConfig(0, (byte) 1);
                dev.deviceWritesConfig(0, (byte) 2);
                super.probeNegotiated(device, context);
            }
        };
        drv.probe(dev, CTX);
        assertThat(drv.events).containsExactly("validate", "probe", "config");
        dev.deviceWritesConfig(0, (byte) 3);
        assertThat(drv.events).endsWith("config", "config");
    }

    @Test
    void needsResetIsReportedInsteadOfAConfigChange() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.probe(dev, CTX);
        dev.deviceNeedsReset();
        assertThat(drv.events).last().isEqualTo("needs-reset");
    }

    @Test
    void queueCallbacksReachTheDriverAfterDriverOk() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.probe(dev, CTX);
        dev.deviceInterrupts(0);
        assertThat(drv.events).last().isEqualTo("vq0");
    }

    @Test
    void removeResetsTheDeviceDeletesQueuesAndAcknowledgesAgain() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.probe(dev, CTX);
        int resetsBefore = dev.resets();
        drv.remove(dev, CTX);
        assertThat(drv.events).last().isEqualTo("remove");
        assertThat(dev.resets()).isEqualTo(resetsBefore + 1);
        assertThat(dev.queues()).isEmpty();
        assertThat(dev.getStatus()).isEqualTo(DeviceStatus.ACKNOWLEDGE.value());
        assertThat(dev.hasConfigHandler()).isFalse();
        dev.deviceWritesConfig(0, (byte) 9);
        assertThat(drv.events).last().isEqualTo("remove");
    }

    @Test
    void aConfigChangeBeingDeliveredWhenRemoveStartsEndsBeforeTheDriversRemoveRuns() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingDriver drv = new RecordingDriver(MAC) {
            @Override
            protected void configChanged(VirtioDevice device) {
                events.add("config-start");
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("config-end");
            }

            @Override
            protected void removeNegotiated(VirtioDevice device, DeviceContext context) {
                events.add("remove");
            }
        };
        drv.probe(dev, CTX);
        Thread interrupt = new Thread(() -> dev.deviceWritesConfig(0, (byte) 1), "config-interrupt");
        interrupt.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        Thread remover = new Thread(() -> drv.remove(dev, CTX), "remove");
        remover.start();
        // remove either finishes (the driver's remove overlapping its config callback) or waits for it
        while (remover.getState() == Thread.State.NEW || remover.getState() == Thread.State.RUNNABLE) {
            Thread.sleep(1);
        }
        release.countDown();
        remover.join(10_000);
        interrupt.join(10_000);
        assertThat(drv.events).containsSubsequence("config-start", "config-end", "remove");
    }

    @Test
    void noConfigChangeReachesTheDriverOnceRemoveStarted() throws Exception {
        InMemoryVirtioDevice dev = InMemoryVirtioDevice.net();
        Runnable[] handler = new Runnable[1];
        RecordingDriver drv = new RecordingDriver(MAC) {
            @Override
            protected void removeNegotiated(VirtioDevice device, DeviceContext context) {
                events.add("remove");
                handler[0].run(); // a transport that took the handler before remove cleared it
            }
        };
        InMemoryVirtioDevice tapped = new InMemoryVirtioDevice(1, 0x1af4, dev.deviceFeatures(), dev.deviceFeatures(), 12, 256) {
            @Override
            public synchronized void setConfigChangeHandler(Runnable h) {
                if (h != null) {
                    handler[0] = h;
                }
                super.setConfigChangeHandler(h);
            }
        };
        drv.probe(tapped, CTX);
        drv.remove(tapped, CTX);
        handler[0].run();
        assertThat(drv.events).doesNotContain("config");
    }

    /** reset() ends every callback (VirtioDevice#reset); this device drops its config handler to be sure. */
    static final class ForgetsHandlerOnReset extends InMemoryVirtioDevice {
        final List<String> calls = new CopyOnWriteArrayList<>();

        ForgetsHandlerOnReset() {
            super(1, 0x1af4, V1 | MAC, V1, 12, 256);
        }

        @Override
        public synchronized void reset() {
            calls.add("reset");
            super.reset();
            super.setConfigChangeHandler(null);
        }

        @Override
        public synchronized void setConfigChangeHandler(Runnable handler) {
            calls.add(handler == null ? "clear-handler" : "set-handler");
            super.setConfigChangeHandler(handler);
        }
    }

    @Test
    void theConfigHandlerIsInstalledAfterTheResetThatStartsProbe() throws Exception {
        ForgetsHandlerOnReset dev = new ForgetsHandlerOnReset();
        RecordingDriver drv = new RecordingDriver(MAC);
        drv.probe(dev, CTX);
        assertThat(dev.calls).containsExactly("reset", "set-handler");
        dev.deviceWritesConfig(0, (byte) 1);
        assertThat(drv.events).last().isEqualTo("config");
    }
}
