package virtio.vdpa.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import driver.core.DeviceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vdpa.bus.IovaRange;
import vdpa.bus.VdpaDevice;
import virtio.bus.InMemoryVirtioDevice;
import virtio.bus.VirtioDevice;
import virtio.ring.DmaPool;
import virtio.spec.DeviceStatus;

/** virtio_vdpa's probe and remove: what is created, in which order, and what is left after a failure. */
class VirtioVdpaDriverTest {

    private final List<String> log = RecordingVdpaDevice.newLog();
    private final TestVirtioBus bus = new TestVirtioBus(log);
    private final List<DmaPool> pools = new ArrayList<>();
    private final VirtioVdpaDriver driver = new VirtioVdpaDriver(bus, (size, iova) -> {
        DmaPool p = DmaPool.create(size, iova);
        pools.add(p);
        return p;
    });

    @AfterEach
    void cleanUp() {
        driver.removeAll();
        assertThat(pools).as("every pool freed").allSatisfy(p -> assertThat(p.segment().scope().isAlive()).isFalse());
    }

    private static DeviceContext vdpa(String name) {
        return new DeviceContext() {
            @Override public String bus() { return "vdpa"; }
            @Override public String name() { return name; }
            @Override public Map<String, Object> properties() { return Map.of("vdpa.name", name); }
        };
    }

    private VirtioDevice virtio(String name) {
        return bus.device(name).orElseThrow();
    }

    @Test
    void probeMapsThePoolWithDmaMapThenRegistersAVirtioDeviceNamedAfterItsParent() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        driver.probe(d, vdpa("vdpa0"));
        DmaPool pool = virtio("virtio0").dmaPool();
        assertThat(log).containsExactly("dma_map 0 0x" + Long.toHexString(pool.iovaBase()) + " " + pool.size(),
                "set_config_cb", "register virtio0");
        assertThat(bus.properties("virtio0")).containsEntry("device.name", "virtio0").containsEntry("vdpa.name", "vdpa0")
                .containsEntry("virtio.device.id", 1).containsEntry("virtio.vendor.id", 0);
        assertThat(pool.size()).isEqualTo(PoolPlan.sizeFor(d)).isGreaterThanOrEqualTo(PoolPlan.MIN_SIZE);
        assertThat(pool.iovaBase()).isEqualTo(PoolPlan.PREFERRED_IOVA_BASE);
        assertThat(d.mappings()).singleElement().satisfies(m -> {
            assertThat(m.memory().address()).isEqualTo(pool.segment().address());
            assertThat(m.address()).isEqualTo(pool.segment().address());
            assertThat(m.permission().writable()).isTrue();
        });
    }

    @Test
    void aDeviceWithoutDmaMapGetsAOneEntrySetMap() throws Exception {
        RecordingVdpaDevice d = new Devices.SetMap(log);
        driver.probe(d, vdpa("vdpa0"));
        assertThat(log).startsWith("set_map 0 1").noneMatch(e -> e.startsWith("dma_map"));
        assertThat(d.space.mappings()).singleElement()
                .satisfies(m -> assertThat(m.iova()).isEqualTo(virtio("virtio0").dmaPool().iovaBase()));
        driver.remove(d, vdpa("vdpa0"));
        assertThat(log).endsWith("set_map 0 0");
        assertThat(d.space.mappings()).isEmpty();
    }

    @Test
    void aDeviceWithoutDmaOpsIsRefusedAndLeftResetWithNothingCreated() {
        RecordingVdpaDevice d = new RecordingVdpaDevice(log);
        d.setStatus(1);
        assertThatThrownBy(() -> driver.probe(d, vdpa("vdpa0"))).hasMessageContaining("neither dma_map nor set_map");
        assertThat(d.getStatus()).isZero();
        assertThat(pools).isEmpty();
        assertThat(bus.devices()).isEmpty();
    }

    @Test
    void aRefusedMapLeavesNothingRegisteredTheDeviceResetAndThePoolFreed() {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        d.refusesMaps = true;
        d.setStatus(1);
        assertThatThrownBy(() -> driver.probe(d, vdpa("vdpa0")))
                .hasMessageContaining("refused dma_map").hasMessageContaining("no room in the IOTLB");
        assertThat(d.getStatus()).isZero();
        assertThat(bus.devices()).isEmpty();
        assertThat(pools).singleElement().satisfies(p -> assertThat(p.segment().scope().isAlive()).isFalse());
    }

    @Test
    void anIovaRangeTooSmallForThePoolIsRefusedBeforeAnythingIsCreated() {
        RecordingVdpaDevice d = new Devices.Narrow(log, new IovaRange(0x1000, 0x1000 + 0xffff));
        assertThatThrownBy(() -> driver.probe(d, vdpa("vdpa0"))).hasMessageContaining("cannot hold a DMA pool");
        assertThat(pools).isEmpty();
        assertThat(log).containsExactly("reset");
    }

    @Test
    void aPoolGoesWhereTheDevicesIovaRangeAllows() throws Exception {
        RecordingVdpaDevice d = new Devices.Narrow(log, new IovaRange(0x1234, 0x0fff_ffffL));
        driver.probe(d, vdpa("vdpa0"));
        assertThat(virtio("virtio0").dmaPool().iovaBase()).isEqualTo(0x2000);
    }

    @Test
    void aVirtioBusRefusalUnwindsTheMapAndThePoolAndTheName() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        bus.refuses = true;
        assertThatThrownBy(() -> driver.probe(d, vdpa("vdpa0"))).hasMessageContaining("virtio bus refused virtio0");
        assertThat(log).containsSubsequence("set_config_cb", "reset", "set_config_cb null",
                "dma_unmap 0 0x40000000 " + pools.get(0).size());
        assertThat(d.space.mappings()).isEmpty();
        assertThat(pools).singleElement().satisfies(p -> assertThat(p.segment().scope().isAlive()).isFalse());
        bus.refuses = false;
        driver.probe(d, vdpa("vdpa0"));
        assertThat(bus.device("virtio0")).isPresent();
    }

    @Test
    void removeTakesTheStackDownFromTheTopAndNothingTouchesTheRingsAfterTheReset() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        PingDriver ping = new PingDriver(log);
        bus.driver = ping;
        driver.probe(d, vdpa("vdpa0"));
        assertThat(DeviceStatus.DRIVER_OK.in(d.getStatus())).as("class driver bound").isTrue();
        DmaPool pool = virtio("virtio0").dmaPool();
        log.clear();

        driver.remove(d, vdpa("vdpa0"));

        assertThat(log).containsSubsequence("remove virtio0", "driver quiesces virtio0", "unregister virtio0", "reset",
                "set_config_cb null", "dma_unmap 0 0x40000000 " + pool.size());
        List<String> afterUnregister = log.subList(log.indexOf("unregister virtio0"), log.size());
        assertThat(afterUnregister).noneMatch(e -> e.startsWith("set_vq") || e.startsWith("kick") || e.startsWith("dma_map"));
        assertThat(pool.segment().scope().isAlive()).isFalse();
        assertThat(d.getStatus()).isZero();
        assertThat(d.space.mappings()).isEmpty();
        assertThat(bus.devices()).isEmpty();
    }

    @Test
    void aPingCrossesTheBridgeKickOnItsQueueAndTheAnswerComesBackOnItsCallback() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        PingDriver ping = new PingDriver(log);
        bus.driver = ping;
        driver.probe(d, vdpa("vdpa0"));
        ping.ping(1);
        assertThat(log).contains("kick_vq 1").doesNotContain("kick_vq 0");
        assertThat(d.serve(0)).isZero();
        assertThat(d.serve(1)).isOne();
        assertThat(ping.notified).containsExactly(1);
        assertThat(ping.answer(1)).isEqualTo("pong:ping");
        assertThat(ping.answer(0)).isNull();
    }

    @Test
    void removeNeverThrowsForADeviceThatWentBadAndIsIdempotent() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        bus.driver = new PingDriver(log);
        driver.probe(d, vdpa("vdpa0"));
        d.breakDevice();
        driver.remove(d, vdpa("vdpa0"));
        assertThat(bus.devices()).isEmpty();
        assertThat(pools).singleElement().satisfies(p -> assertThat(p.segment().scope().isAlive()).isFalse());
        driver.remove(d, vdpa("vdpa0"));
        RecordingVdpaDevice never = new Devices.DmaMap(log);
        int ops = log.size();
        driver.remove(never, vdpa("vdpa9")); // never bound: nothing to do, nothing touched
        assertThat(log).hasSize(ops);
    }

    @Test
    void namesAreTheLowestFreeIndexAndSkipNamesOtherTransportsHold() throws Exception {
        bus.occupy("virtio0", InMemoryVirtioDevice.net());
        VdpaDevice a = new Devices.DmaMap(log);
        VdpaDevice b = new Devices.DmaMap(log);
        VdpaDevice c = new Devices.DmaMap(log);
        driver.probe(a, vdpa("vdpa0"));
        driver.probe(b, vdpa("vdpa1"));
        assertThat(bus.properties("virtio1")).containsEntry("vdpa.name", "vdpa0");
        assertThat(bus.properties("virtio2")).containsEntry("vdpa.name", "vdpa1");
        driver.remove(a, vdpa("vdpa0"));
        driver.probe(c, vdpa("vdpa2"));
        assertThat(bus.properties("virtio1")).containsEntry("vdpa.name", "vdpa2");
    }

    @Test
    void aSecondProbeOfABoundDeviceIsRefused() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        driver.probe(d, vdpa("vdpa0"));
        assertThatThrownBy(() -> driver.probe(d, vdpa("vdpa0"))).hasMessageContaining("already bound");
        assertThat(bus.devices()).hasSize(1);
    }

    @Test
    void removeAllTakesDownWhatTheBusDidNotRemove() throws Exception {
        RecordingVdpaDevice d = new Devices.DmaMap(log);
        driver.probe(d, vdpa("vdpa0"));
        driver.removeAll();
        assertThat(bus.devices()).isEmpty();
        assertThat(d.space.mappings()).isEmpty();
    }
}
